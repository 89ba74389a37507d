import { NotebookAnalyzer } from '../../analyzer/engine/engine';
import type {
  IAnalyzeOptions,
  IAnalyzerStats,
  ICellInput
} from '../../analyzer/engine/engine';
import {
  createPythonParser,
  IParserAssets
} from '../../analyzer/syntax/parser';
import { ALL_RULES } from '../../analyzer/rules';
import type { CellFindings, IRule } from '../../analyzer/types';
import { CellFindingsSplitter } from '../../worker/cell-findings';
import { IWorkerLike, WorkerClient } from '../../worker/client';
import { cellKeys } from '../../worker/delta';
import { IAsyncAnalyzer, WorkerAnalyzer } from '../../worker/worker-analyzer';
import { errorMessage } from '../../common/errors';

/** How the service finds the parser and starts its worker. */
export interface IAnalysisServiceOptions {
  /** The wasm files, as absolute URLs (they are also fetched by the worker). */
  assets: IParserAssets;
  /**
   * Starts an analysis worker (may throw, e.g. under a CSP without
   * `worker-src`); null: analyze on the main thread.
   */
  spawn: (() => IWorkerLike) | null;
}

/** How many times a crashed worker is replaced before giving up. */
const MAX_RESTARTS = 3;

/**
 * The analyzer in the browser. Analysis runs in one Web Worker shared by
 * all notebooks (one analyzer per notebook inside it), so that typing never
 * waits for it; if the worker cannot start, it runs on the main thread as
 * before, with one console warning.
 */
export class AnalysisService {
  constructor(private readonly _options: IAnalysisServiceOptions) {}

  /** Every rule, for documentation and settings. */
  readonly rules: readonly IRule[] = ALL_RULES;

  /** Where analysis runs, once decided (null until the first analyzer). */
  get mode(): 'worker' | 'main-thread' | null {
    return this._mode;
  }

  /** A new incremental analyzer for one notebook. */
  async createAnalyzer(): Promise<IAsyncAnalyzer> {
    if (await this._useWorker()) {
      return new WorkerAnalyzer(`notebook-${++this._count}`, () =>
        this._connect()
      );
    }
    const parser = await createPythonParser(this._options.assets);
    return new LocalAnalyzer(new NotebookAnalyzer(parser, ALL_RULES));
  }

  /** Stop the worker (analyzers created from it fail from now on). */
  dispose(): void {
    this._client?.terminate();
  }

  /** Whether the worker starts; decided once, by the first analyzer. */
  private _useWorker(): Promise<boolean> {
    this._decided ??= this._connect().then(
      () => {
        this._mode = 'worker';
        return true;
      },
      reason => {
        this._mode = 'main-thread';
        console.warn(
          'memlens: the analysis runs on the main thread (typing may lag ' +
            'in large notebooks) because its worker did not start:',
          errorMessage(reason)
        );
        return false;
      }
    );
    return this._decided;
  }

  /** The running worker; a new one after a crash (a few times at most). */
  private _connect(): Promise<WorkerClient> {
    if (this._client && !this._client.isDead) {
      return this._client.ready.then(() => this._client!);
    }
    if (this._client) {
      if (this._restarts >= MAX_RESTARTS) {
        return Promise.reject(
          new Error(
            `${this._client.deathReason} (restarted ${MAX_RESTARTS} times; ` +
              'reload the page to analyze again)'
          )
        );
      }
      this._restarts++;
    }
    const { spawn, assets } = this._options;
    try {
      if (!spawn) {
        throw new Error('workers are turned off');
      }
      const client = new WorkerClient(spawn(), assets);
      this._client = client;
      return client.ready.then(() => client);
    } catch (reason) {
      return Promise.reject(reason);
    }
  }

  private _client: WorkerClient | null = null;
  private _decided: Promise<boolean> | null = null;
  private _mode: 'worker' | 'main-thread' | null = null;
  private _restarts = 0;
  private _count = 0;
}

/** The fallback: a main-thread `NotebookAnalyzer` behind the async API. */
export class LocalAnalyzer implements IAsyncAnalyzer {
  constructor(private readonly _analyzer: NotebookAnalyzer) {}

  get stats(): IAnalyzerStats {
    return this._analyzer.stats;
  }

  analyze(
    cells: readonly ICellInput[],
    options: IAnalyzeOptions
  ): Promise<CellFindings> {
    try {
      const findings = this._analyzer.analyze(cells, options);
      this._split.update(findings, cellKeys(cells));
      return Promise.resolve(this._split.cells);
    } catch (reason) {
      return Promise.reject(reason);
    }
  }

  dispose(): void {
    this._analyzer.dispose();
  }

  /** The findings by cell id, as the worker's host splits them. */
  private _split = new CellFindingsSplitter();
}

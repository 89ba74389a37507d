/**
 * One notebook's analyzer as the main thread sees it when the analysis
 * runs in the worker: sends cell deltas, keeps at most one request in
 * flight, and lets the latest state win.
 */
import { PromiseDelegate } from '@lumino/coreutils';
import type {
  IAnalyzeOptions,
  IAnalyzerStats,
  ICellInput
} from '../analyzer/engine/engine';
import type { CellFindings, ICellFinding, ILiveFacts } from '../analyzer/types';
import type { WorkerClient } from './client';
import { WorkerFailure } from './client';
import { CellCopy, cellDelta } from './delta';
import type { IWireOptions } from './protocol';

/** An incremental analyzer of one notebook that answers asynchronously. */
export interface IAsyncAnalyzer {
  /**
   * Findings of `cells` (all of the notebook's cells, in order) by cell id
   * (see `cellKeys`): the same map as the previous run's when no cell's
   * findings changed, and the same array for each cell whose findings did
   * not. Calls made while a run is in flight are folded into one more run
   * with the latest arguments; each call's promise settles with the first
   * run that started after it.
   */
  analyze(
    cells: readonly ICellInput[],
    options: IAnalyzeOptions
  ): Promise<CellFindings>;
  /** Counters of the last run. */
  readonly stats: IAnalyzerStats;
  /** Free the analyzer (in the worker too). Idempotent. */
  dispose(): void;
}

const NO_CELLS: CellFindings = new Map();

/** `live` was never sent, or the worker may have lost it. */
const UNSENT = Symbol('unsent');

/** A notebook's analyzer living in the analysis worker. */
export class WorkerAnalyzer implements IAsyncAnalyzer {
  /**
   * @param id The notebook's key in the worker (unique per worker).
   * @param _connect The live worker client (a new one after a crash).
   */
  constructor(
    readonly id: string,
    private readonly _connect: () => Promise<WorkerClient>
  ) {}

  get stats(): IAnalyzerStats {
    return this._stats;
  }

  analyze(
    cells: readonly ICellInput[],
    options: IAnalyzeOptions
  ): Promise<CellFindings> {
    if (this._disposed) {
      return Promise.reject(new Error('the analyzer is disposed'));
    }
    const waiter = new PromiseDelegate<CellFindings>();
    this._next = { cells, options };
    this._waiters.push(waiter);
    if (!this._busy) {
      void this._pump();
    }
    return waiter.promise;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._next = null;
    const error = new Error('the analyzer is disposed');
    this._waiters.splice(0).forEach(waiter => waiter.reject(error));
    this._client?.notify('dispose', { notebook: this.id });
    this._client = null;
  }

  /** Send the latest state until no newer one is waiting. */
  private async _pump(): Promise<void> {
    this._busy = true;
    while (this._next && !this._disposed) {
      const { cells, options } = this._next;
      const waiters = this._waiters.splice(0);
      this._next = null;
      try {
        const findings = await this._request(cells, options);
        waiters.forEach(waiter => waiter.resolve(findings));
      } catch (reason) {
        waiters.forEach(waiter => waiter.reject(reason));
      }
    }
    this._busy = false;
  }

  /** One analysis in the worker; a full resend when it lost our cells. */
  private async _request(
    cells: readonly ICellInput[],
    options: IAnalyzeOptions
  ): Promise<CellFindings> {
    const client = await this._connect();
    if (this._disposed) {
      throw new Error('the analyzer is disposed');
    }
    if (client !== this._client) {
      // a new worker (first run, or after a crash) has none of our cells
      this._client = client;
      this._forget();
    }
    try {
      return await this._send(client, cells, options);
    } catch (reason) {
      if (!(reason instanceof WorkerFailure && reason.resync)) {
        throw reason;
      }
      this._forget();
      return await this._send(client, cells, options);
    }
  }

  private async _send(
    client: WorkerClient,
    cells: readonly ICellInput[],
    options: IAnalyzeOptions
  ): Promise<CellFindings> {
    const { order, changed, next } = cellDelta(this._sent, cells);
    const live = options.live ?? null;
    const wire: IWireOptions = {
      select: options.select,
      ignore: options.ignore,
      disabled: options.disabled,
      thresholdBytes: options.thresholdBytes,
      activeCell: options.activeCell
    };
    if (live !== this._liveSent) {
      wire.live = live;
    }
    const known = this._findings !== null;
    const reply = client.request('analyze', {
      notebook: this.id,
      order,
      changed,
      options: wire,
      known
    });
    // The worker handles requests in order: once posted, this is its copy.
    this._sent = next;
    this._liveSent = live;
    const { cells: answered, complete, stats } = await reply;
    this._stats = stats;
    if (!complete && !known) {
      throw new WorkerFailure('the worker sent only some findings', true);
    }
    const previous = complete ? NO_CELLS : (this._findings ?? NO_CELLS);
    if (
      answered.length === 0 &&
      !complete &&
      [...previous.keys()].every(key => next.has(key))
    ) {
      // No cell's findings changed and none with findings is gone: the
      // previous map itself, so that the model sees at once that nothing
      // changed (the worker already compared).
      return previous;
    }
    const byKey = new Map<string, readonly ICellFinding[]>(answered);
    const cellsNow = new Map<string, readonly ICellFinding[]>();
    for (const key of order) {
      const findings = byKey.get(key) ?? previous.get(key);
      if (findings && findings.length > 0) {
        cellsNow.set(key, findings);
      }
    }
    this._findings = cellsNow;
    return cellsNow;
  }

  private _forget(): void {
    this._sent = new Map();
    this._liveSent = UNSENT;
    this._findings = null;
  }

  private _client: WorkerClient | null = null;
  private _sent: CellCopy = new Map();
  private _liveSent: ILiveFacts | null | typeof UNSENT = UNSENT;
  /** The findings of the previous reply (null: none from this worker). */
  private _findings: CellFindings | null = null;
  private _next: {
    cells: readonly ICellInput[];
    options: IAnalyzeOptions;
  } | null = null;
  private _waiters: PromiseDelegate<CellFindings>[] = [];
  private _busy = false;
  private _disposed = false;
  private _stats: IAnalyzerStats = {
    parsed: 0,
    reused: 0,
    incremental: 0,
    failures: [],
    timings: {}
  };
}

/**
 * The analysis worker's message handler, free of worker globals so that
 * jest can drive it in node (with the wasm files as bytes).
 */
import type { Parser } from 'web-tree-sitter';
import { NotebookAnalyzer } from '../analyzer/engine/engine';
import { createPythonParser } from '../analyzer/syntax/parser';
import { ALL_RULES } from '../analyzer/rules';
import type { ILiveFacts } from '../analyzer/types';
import { CellFindingsSplitter } from './cell-findings';
import { applyDelta, CellCopy, OutOfSyncError } from './delta';
import {
  IWorkerRequests,
  WORKER_PROTOCOL_VERSION,
  WorkerReply,
  WorkerRequest
} from './protocol';
import { errorMessage } from '../common/errors';

/** What the worker keeps of one notebook. */
interface INotebookState {
  parser: Parser;
  analyzer: NotebookAnalyzer;
  cells: CellCopy;
  live: ILiveFacts | null;
  /** The findings last sent, by cell key. */
  sent: CellFindingsSplitter;
  /** A reply for this notebook was sent (the main thread holds it). */
  replied: boolean;
}

/**
 * Answers the main thread's requests, one at a time and in order: a request
 * that arrives while the grammar loads (or while another runs) waits for it.
 */
export class AnalysisHost {
  /** @param post Sends a reply to the main thread. */
  constructor(private readonly _post: (reply: WorkerReply) => void) {}

  /** Handle one request; resolves once it has been answered. */
  handle(request: WorkerRequest): Promise<void> {
    this._queue = this._queue
      .then(() => this._handle(request))
      .catch(reason => console.warn('memlens worker: request failed', reason));
    return this._queue;
  }

  private async _handle(request: WorkerRequest): Promise<void> {
    switch (request.type) {
      case 'init':
        return this._init(request.seq, request);
      case 'analyze':
        return this._analyze(request.seq, request);
      case 'dispose':
        return this._dispose(request.notebook);
      default: {
        const unknown: never = request;
        console.warn('memlens worker: unknown request', unknown);
      }
    }
  }

  private async _init(
    seq: number,
    { protocol, assets }: IWorkerRequests['init']
  ): Promise<void> {
    if (protocol !== WORKER_PROTOCOL_VERSION) {
      this._post({
        type: 'failed',
        seq,
        error: `analysis worker speaks protocol ${WORKER_PROTOCOL_VERSION}, not ${protocol}`,
        resync: false
      });
      return;
    }
    try {
      // one parser to prove the grammar loads; it serves the first notebook
      this._spare = await createPythonParser(assets);
      this._assets = assets;
      this._post({ type: 'ready', seq, protocol: WORKER_PROTOCOL_VERSION });
    } catch (reason) {
      this._post({
        type: 'failed',
        seq,
        error: errorMessage(reason),
        resync: false
      });
    }
  }

  private async _analyze(
    seq: number,
    { notebook, order, changed, options, known }: IWorkerRequests['analyze']
  ): Promise<void> {
    try {
      const state = await this._state(notebook);
      if ('live' in options) {
        state.live = options.live ?? null;
      }
      const cells = applyDelta(state.cells, order, changed);
      const findings = state.analyzer.analyze(cells, {
        ...options,
        live: state.live
      });
      // Comparing here is cheap; copying hundreds of findings into the main
      // thread after each key stroke is not (allocation there wakes the
      // garbage collector of a page holding a thousand editors).
      const complete = !known || !state.replied;
      if (complete) {
        state.sent.reset();
      }
      const answer = state.sent.update(findings, order);
      state.replied = true;
      this._post({
        type: 'analyzed',
        seq,
        cells: answer,
        complete,
        stats: state.analyzer.stats
      });
    } catch (reason) {
      // Out of sync, or the analyzer failed (a wasm trap can leave its cached
      // trees unusable): start this notebook over from a full resend.
      if (!(reason instanceof OutOfSyncError)) {
        this._dispose(notebook);
      }
      this._post({
        type: 'failed',
        seq,
        error: errorMessage(reason),
        resync: true
      });
    }
  }

  private async _state(notebook: string): Promise<INotebookState> {
    let state = this._notebooks.get(notebook);
    if (!state) {
      if (!this._assets) {
        throw new Error('analysis worker is not initialised');
      }
      const parser = this._spare ?? (await createPythonParser(this._assets));
      this._spare = null;
      state = {
        parser,
        analyzer: new NotebookAnalyzer(parser, ALL_RULES),
        cells: new Map(),
        live: null,
        sent: new CellFindingsSplitter(),
        replied: false
      };
      this._notebooks.set(notebook, state);
    }
    return state;
  }

  private _dispose(notebook: string): void {
    const state = this._notebooks.get(notebook);
    if (state) {
      this._notebooks.delete(notebook);
      state.analyzer.dispose();
      state.parser.delete();
    }
  }

  private _queue: Promise<void> = Promise.resolve();
  private _assets: IWorkerRequests['init']['assets'] | null = null;
  private _spare: Parser | null = null;
  private _notebooks = new Map<string, INotebookState>();
}

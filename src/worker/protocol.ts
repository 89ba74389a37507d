/**
 * Messages between the main thread and the analysis worker.
 *
 * The worker holds one `NotebookAnalyzer` per notebook, keyed by an id the
 * main thread chooses, and its own copy of each notebook's cells: an
 * `analyze` request carries the cell order and only the cells whose kind or
 * source changed since the previous request for that notebook (see
 * `delta.ts`). Requests of one worker are answered in the order they were
 * sent. Everything here is structured-clone data (no classes, no functions).
 */
import type { IAnalyzerStats, ICellInput } from '../analyzer/engine/engine';
import type { IParserAssets } from '../analyzer/syntax/parser';
import type { ICellFinding, ILiveFacts } from '../analyzer/types';

/** Bumped on any incompatible change; checked in the `init` handshake. */
export const WORKER_PROTOCOL_VERSION = 3;

/** A cell the worker has not seen in this form (new, or kind/source edited). */
export interface ICellChange extends ICellInput {
  /** The cell's key in `order` (its id, made unique; see `delta.ts`). */
  key: string;
}

/** Analysis options as sent: `live` is left out when it did not change. */
export interface IWireOptions {
  select?: readonly string[];
  ignore?: readonly string[];
  disabled?: readonly string[];
  thresholdBytes?: number;
  activeCell?: number | null;
  /**
   * Kernel facts; absent means "the same as in the previous request for
   * this notebook" (they can hold thousands of sizes: not sent per edit).
   */
  live?: ILiveFacts | null;
}

/** Main thread → worker, by type. */
export interface IWorkerRequests {
  /** Load tree-sitter and the grammar; answered by `ready` or `failed`. */
  init: { protocol: number; assets: IParserAssets };
  /** Analyze a notebook after applying `changed` to the worker's copy. */
  analyze: {
    notebook: string;
    /** Keys of all cells, in notebook order. */
    order: string[];
    changed: ICellChange[];
    options: IWireOptions;
    /**
     * The main thread holds the findings of this worker's previous reply
     * for this notebook: the worker may answer with the cells whose
     * findings changed since then.
     */
    known: boolean;
  };
  /** Forget a notebook: dispose its analyzer and cells. Not answered. */
  dispose: { notebook: string };
}

/** Worker → main thread, by type. */
export interface IWorkerReplies {
  ready: { protocol: number };
  analyzed: {
    /**
     * The findings of the cells whose findings changed since the previous
     * reply, by cell key (in notebook order; each cell's findings sorted
     * by position and naming the cell by its key; `[]`: the cell has none
     * any more). Most runs while the user types change one cell's findings
     * or none: only those are copied into the main thread.
     */
    cells: [key: string, findings: readonly ICellFinding[]][];
    /**
     * `cells` lists every cell that has findings (the first reply for this
     * notebook, or the request was not `known`): forget the others.
     */
    complete: boolean;
    stats: IAnalyzerStats;
  };
  failed: {
    error: string;
    /**
     * True when the worker's copy of the notebook does not match what the
     * main thread believes it sent (e.g. a key in `order` it never got):
     * the main thread must send every cell again.
     */
    resync: boolean;
  };
}

/** One request as posted: its type, a sequence number, and its arguments. */
export type WorkerRequest = {
  [K in keyof IWorkerRequests]: { type: K; seq: number } & IWorkerRequests[K];
}[keyof IWorkerRequests];

/** One reply as posted; `seq` is the request's. */
export type WorkerReply = {
  [K in keyof IWorkerReplies]: { type: K; seq: number } & IWorkerReplies[K];
}[keyof IWorkerReplies];

/**
 * The main thread's end of one analysis worker: the `init` handshake,
 * requests matched to replies by sequence number, and what happens when
 * the worker dies.
 */
import { PromiseDelegate } from '@lumino/coreutils';
import type { IParserAssets } from '../analyzer/syntax/parser';
import { PendingRequests } from '../common/pending-requests';
import {
  IWorkerReplies,
  IWorkerRequests,
  WORKER_PROTOCOL_VERSION,
  WorkerReply,
  WorkerRequest
} from './protocol';

/** The little of `Worker` the client uses (a fake one in tests). */
export interface IWorkerLike {
  postMessage(message: WorkerRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

/** The worker answered a request with `failed`. */
export class WorkerFailure extends Error {
  constructor(
    message: string,
    /** The worker lost (or never had) this notebook's cells: resend all. */
    readonly resync: boolean
  ) {
    super(message);
    this.name = 'WorkerFailure';
  }
}

/** How long the worker may take to load tree-sitter and the grammar. */
const INIT_TIMEOUT_MS = 30_000;

/**
 * How long one analysis may take before the worker is taken for hung and
 * stopped (the service then starts a new one). A cold analysis of a
 * 1,000-cell notebook takes about a second there.
 */
export const REQUEST_TIMEOUT_MS = 60_000;

/** Requests that get a reply, and the reply each gets. */
type Answered = { analyze: 'analyzed' };

/**
 * One analysis worker. `ready` settles once the worker loaded the parser
 * (or could not); after the worker dies every pending and later request
 * fails with the reason, and `isDead` is true.
 */
export class WorkerClient {
  /**
   * @param _worker A worker running `analysis.worker.ts`.
   * @param assets Where the worker finds the wasm files (absolute URLs).
   */
  constructor(
    private readonly _worker: IWorkerLike,
    assets: IParserAssets
  ) {
    _worker.onmessage = event => this._onReply(event.data);
    _worker.onerror = event => this._die(describe(event));
    _worker.onmessageerror = () =>
      this._die('a reply of the analysis worker could not be read');
    const timer = setTimeout(
      () => this._die('the analysis worker did not start in time'),
      INIT_TIMEOUT_MS
    );
    // (also marks the rejection handled when nobody awaits `ready`)
    const clear = () => clearTimeout(timer);
    this._ready.promise.then(clear, clear);
    this._post('init', { protocol: WORKER_PROTOCOL_VERSION, assets });
  }

  /** Resolves when the worker can analyze; rejects if it cannot start. */
  get ready(): Promise<void> {
    return this._ready.promise;
  }

  /** Why the worker stopped, once it has (null while it runs). */
  get deathReason(): string | null {
    return this._dead;
  }

  /** True once the worker failed, crashed or was terminated. */
  get isDead(): boolean {
    return this._dead !== null;
  }

  /** Send a request and wait for its reply. */
  request<K extends keyof Answered>(
    type: K,
    args: IWorkerRequests[K]
  ): Promise<IWorkerReplies[Answered[K]]> {
    if (this._dead !== null) {
      return Promise.reject(new Error(this._dead));
    }
    // A rule that loops forever must not leave the notebook without
    // analysis: a worker that does not answer in time is stopped.
    const { id, promise } = this._pending.add<IWorkerReplies[Answered[K]]>(
      REQUEST_TIMEOUT_MS,
      () =>
        this._die(
          `the analysis worker did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`
        )
    );
    this._post(type, args, id);
    return promise;
  }

  /** Send a request that gets no reply (dropped once the worker is dead). */
  notify(type: 'dispose', args: IWorkerRequests['dispose']): void {
    if (this._dead === null) {
      this._post(type, args);
    }
  }

  /** Stop the worker; pending requests fail. Idempotent. */
  terminate(reason = 'the analysis worker was stopped'): void {
    this._die(reason);
  }

  /** Post a request as `seq` (a fresh id when it awaits no reply). */
  private _post<K extends keyof IWorkerRequests>(
    type: K,
    args: IWorkerRequests[K],
    seq = this._pending.takeId()
  ): void {
    this._worker.postMessage({ type, seq, ...args } as WorkerRequest);
  }

  private _onReply(reply: WorkerReply): void {
    switch (reply.type) {
      case 'ready':
        this._ready.resolve();
        return;
      case 'analyzed':
        this._pending.resolve(reply.seq, {
          cells: reply.cells,
          complete: reply.complete,
          stats: reply.stats
        });
        return;
      case 'failed':
        if (reply.seq === INIT_SEQ) {
          this._die(`the analysis worker failed to start: ${reply.error}`);
          return;
        }
        this._pending.reject(
          reply.seq,
          new WorkerFailure(reply.error, reply.resync)
        );
        return;
      default: {
        const unknown: never = reply;
        console.warn('memlens: unknown reply of the analysis worker', unknown);
        return;
      }
    }
  }

  private _die(reason: string): void {
    if (this._dead !== null) {
      return;
    }
    this._dead = reason;
    this._worker.onmessage = null;
    this._worker.onerror = null;
    this._worker.onmessageerror = null;
    this._worker.terminate();
    const error = new Error(reason);
    this._ready.reject(error); // no-op once ready
    this._pending.rejectAll(error);
  }

  private _dead: string | null = null;
  private _ready = new PromiseDelegate<void>();
  private _pending = new PendingRequests();
}

/** `init` is always the first message a client posts. */
const INIT_SEQ = 1;

/** A readable reason from a worker `error` event. */
function describe(event: Event): string {
  const message = (event as ErrorEvent).message;
  return message
    ? `the analysis worker stopped: ${message}`
    : 'the analysis worker could not be loaded or stopped';
}

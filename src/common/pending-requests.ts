import { PromiseDelegate } from '@lumino/coreutils';

/**
 * Requests in flight on a channel that answers by id (the kernel comm, the
 * analysis worker): each gets the next id, is settled once by its reply,
 * and when no reply came within its time `onTimeout` runs (fail just that
 * request, or give up the whole channel). One implementation for both.
 */
export class PendingRequests {
  /** An id for a message that awaits no reply (ids start at 1). */
  takeId(): number {
    return ++this._lastId;
  }

  /** Requests not answered yet. */
  get size(): number {
    return this._pending.size;
  }

  /**
   * A new request: its id and the promise its reply settles. After
   * `timeoutMs` without a reply `onTimeout(id)` runs (the request is still
   * pending then; settle or drop it there).
   */
  add<T>(
    timeoutMs: number,
    onTimeout: (id: number) => void
  ): { id: number; promise: Promise<T> } {
    const id = ++this._lastId;
    const pending = new PromiseDelegate<unknown>();
    this._pending.set(id, pending);
    const timer = setTimeout(() => {
      if (this._pending.has(id)) {
        onTimeout(id);
      }
    }, timeoutMs);
    // (also marks the rejection handled when nobody awaits it)
    const clear = () => clearTimeout(timer);
    pending.promise.then(clear, clear);
    return { id, promise: pending.promise as Promise<T> };
  }

  /** Settle request `id` with its reply; false when it is not pending. */
  resolve(id: number, value: unknown): boolean {
    const pending = this._pending.get(id);
    this._pending.delete(id);
    pending?.resolve(value);
    return pending !== undefined;
  }

  /** Fail request `id`; false when it is not pending. */
  reject(id: number, reason: Error): boolean {
    const pending = this._pending.get(id);
    this._pending.delete(id);
    pending?.reject(reason);
    return pending !== undefined;
  }

  /** Whether request `id` waits for its reply. */
  has(id: number): boolean {
    return this._pending.has(id);
  }

  /** Fail every pending request (the channel closed). */
  rejectAll(reason: Error): void {
    const all = [...this._pending.values()];
    this._pending.clear();
    all.forEach(pending => pending.reject(reason));
  }

  private _lastId = 0;
  private _pending = new Map<number, PromiseDelegate<unknown>>();
}

import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import type { HelperConnection } from '../../kernel/connection';
import type { KernelSession } from '../../kernel/kernel-session';
import {
  DEFAULT_PROFILE_METHOD,
  KernelEvent,
  LINE_PROFILE_FEATURE,
  ProfileMethod,
  profileMethodsOf
} from '../../kernel/protocol';
import { trans } from '../../common/i18n';
import type { ICellProfile, ILineProfiles } from '../../tokens';

export type { ICellProfile };

/**
 * Per-line memory profiles of one notebook's cells: arms the helper for a
 * cell's next run (`profile` request) and keeps the last result of each
 * cell from the helper's `profile` events — also those of
 * `%%memlens_profile`, which need no arming.
 */
export class LineProfileModel implements ILineProfiles, IDisposable {
  /**
   * @param _session - the notebook's kernel session.
   * @param _sourceOf - the current source of a cell id (null when gone).
   */
  constructor(
    private readonly _session: KernelSession,
    private readonly _sourceOf: (cellId: string) => string | null
  ) {
    _session.connectionChanged.connect(this._onConnectionChanged, this);
    this._onConnectionChanged(_session, _session.connection);
  }

  /** The last profile of every profiled cell, biggest peak first. */
  get profiles(): readonly ICellProfile[] {
    return [...this._profiles.values()].sort(
      (a, b) => b.profile.peak_bytes - a.profile.peak_bytes
    );
  }

  /** Cell ids armed for their next run. */
  get armed(): ReadonlySet<string> {
    return new Set(this._armed.keys());
  }

  /** Emitted when a profile arrives, is forgotten, or arming changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted with each profile as it arrives. */
  get received(): ISignal<this, ICellProfile> {
    return this._received;
  }

  /**
   * Emitted when armed cells will not be profiled after all (the kernel
   * restarted or went away before they ran), with their ids.
   */
  get dropped(): ISignal<this, readonly string[]> {
    return this._dropped;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Whether the run `executionCount` of `cellId` was profiled. */
  isProfiledRun(
    cellId: string | null | undefined,
    executionCount: number | null | undefined
  ): boolean {
    return (
      typeof cellId === 'string' &&
      typeof executionCount === 'number' &&
      this._runs.has(runKey(cellId, executionCount))
    );
  }

  /** The last profile of `cellId`, if any. */
  get(cellId: string): ICellProfile | null {
    return this._profiles.get(cellId) ?? null;
  }

  /**
   * Arm the next run of `cellId`, whose source is `source` at that run,
   * for a profile made with `method` (exact `tracemalloc` by default).
   *
   * @throws Error with a message for the user when the kernel helper is
   * not connected, cannot profile lines, or does not know `method` (a 1.1
   * helper knows only the exact method).
   */
  async arm(
    cellId: string,
    source: string,
    method: ProfileMethod = DEFAULT_PROFILE_METHOD
  ): Promise<void> {
    const connection = this._session.connection;
    if (!connection || connection.state !== 'ready') {
      throw new Error(
        connection?.message ||
          trans().__(
            'The memlens kernel helper is not connected: start the kernel first.'
          )
      );
    }
    if (!connection.supports(LINE_PROFILE_FEATURE)) {
      throw new Error(
        trans().__(
          "The kernel's memlens helper %1 cannot profile lines: install the memlens-kernel that matches this extension in the kernel's environment.",
          connection.hello?.helper_version ?? ''
        )
      );
    }
    const methods = profileMethodsOf(connection.hello);
    if (!methods.includes(method)) {
      throw new Error(
        trans().__(
          "The kernel's memlens helper %1 cannot make %2 profiles: install the memlens-kernel that matches this extension in the kernel's environment, or profile with the exact method.",
          connection.hello?.helper_version ?? '',
          method
        )
      );
    }
    // a 1.1 helper has no `method` (and needs none: exact is all it does)
    await connection.request(
      'profile',
      connection.hello?.capabilities?.profile_methods
        ? { cell_id: cellId, method }
        : { cell_id: cellId }
    );
    if (this._session.connection !== connection) {
      throw new Error(trans().__('The kernel restarted before the cell ran.'));
    }
    this._armed.set(cellId, source);
    this._emit();
  }

  /** Forget a cell's profile (e.g. the user cleared it). */
  forget(cellId: string): void {
    if (this._profiles.delete(cellId)) {
      this._emit();
    }
  }

  /** Forget profiles of cells not in `keep` (deleted cells). */
  retain(keep: ReadonlySet<string>): void {
    let changed = false;
    for (const cellId of [...this._profiles.keys()]) {
      if (!keep.has(cellId)) {
        this._profiles.delete(cellId);
        changed = true;
      }
    }
    if (changed) {
      this._emit();
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    Signal.clearData(this);
  }

  private _onConnectionChanged(
    _: KernelSession,
    connection: HelperConnection | null
  ): void {
    // Armed ids live in the kernel process: a new connection (restart,
    // kernel change) means they are gone. Profiles describe code, not the
    // process, so they stay until their cell changes; the timeline (and
    // its execution counts) starts again.
    this._runs.clear();
    if (this._armed.size) {
      const ids = [...this._armed.keys()];
      this._armed.clear();
      this._dropped.emit(ids);
      this._emit();
    }
    connection?.eventReceived.connect(this._onEvent, this);
  }

  private _onEvent(_: HelperConnection, event: KernelEvent): void {
    if (event.event !== 'profile' || this._disposed) {
      return;
    }
    const cellId = event.data.cell_id;
    if (typeof cellId !== 'string') {
      return;
    }
    const source = this._armed.get(cellId) ?? this._sourceOf(cellId);
    this._armed.delete(cellId);
    if (source === null) {
      this._emit();
      return;
    }
    const entry: ICellProfile = { cellId, source, profile: event.data };
    this._profiles.set(cellId, entry);
    if (typeof event.data.execution_count === 'number') {
      this._runs.add(runKey(cellId, event.data.execution_count));
    }
    this._received.emit(entry);
    this._emit();
  }

  private _emit(): void {
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  private _armed = new Map<string, string>();
  private _profiles = new Map<string, ICellProfile>();
  /** Profiled runs (cell id + execution count), for the timeline. */
  private _runs = new Set<string>();
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
  private _received = new Signal<this, ICellProfile>(this);
  private _dropped = new Signal<this, readonly string[]>(this);
}

function runKey(cellId: string, executionCount: number): string {
  return `${executionCount}:${cellId}`;
}

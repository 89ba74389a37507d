import type { Kernel } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import { Coalescer } from '../../common/coalesce';
import { applySnapshot } from './snapshot-merge';
import type {
  ConnectionState,
  HelperConnection
} from '../../kernel/connection';
import type { KernelSession } from '../../kernel/kernel-session';
import type {
  ActionResult,
  ILiveMemory,
  ILiveOptions,
  IMemoryLimit,
  KernelAction
} from '../../tokens';
import {
  required,
  type DataframeReport,
  type DeleteResult,
  type Explanation,
  type KernelEvent,
  type Snapshot,
  type TimelineEntry
} from '../../kernel/protocol';
import { trans } from '../../common/i18n';
import { errorMessage } from '../../common/errors';
import { limitOf } from './memory-limit';

/** Bounded history of the timeline kept in the browser. */
const MAX_TIMELINE = 500;

/** Pause between the follow-ups of an incomplete snapshot (ms). */
const FOLLOW_UP_DELAY_MS = 50;

/** How often the facts refresh while a cell runs (when the helper can answer). */
const BUSY_REFRESH_MS = 1000;

/**
 * Live memory facts of one notebook's kernel: the last snapshot, the
 * per-cell timeline, and the actions of the panel. Refreshes are coalesced
 * (one in flight, at most one queued) and only happen while someone shows
 * the facts (`visible`). Two Lumino polls own the timing: follow-ups of an
 * incomplete snapshot, and the refresh while a long cell runs.
 */
export class LiveMemoryModel implements ILiveMemory, IDisposable {
  constructor(
    private readonly _session: KernelSession,
    private readonly _options: () => ILiveOptions
  ) {
    _session.connectionChanged.connect(this._onConnectionChanged, this);
    _session.kernelStatusChanged.connect(this._onKernelStatus, this);
    this._onConnectionChanged(_session, _session.connection);
  }

  /** The last snapshot, or null (no kernel, restarted, not yet fetched). */
  get snapshot(): Snapshot | null {
    return this._snapshot;
  }

  /**
   * The kernel's latest resident memory: from the last snapshot or, when
   * newer, from the helper's event after the last cell (which needs no
   * request, so the status bar stays current while the panel is closed).
   */
  get rssBytes(): number | null {
    return this._rss;
  }

  /**
   * The resident memory split into parts (variables, hidden, baseline,
   * allocator, unattributed), when the helper explains (protocol 1.2).
   */
  get explanation(): Explanation | null {
    return this._explanation;
  }

  /** The memory limit the kernel lives under, from the latest fact. */
  get limit(): IMemoryLimit | null {
    return this._limit;
  }

  /** The limit in force changed (a `guard` request said so). */
  updateLimit(limit: IMemoryLimit | null): void {
    if (limit && JSON.stringify(limit) !== JSON.stringify(this._limit)) {
      this._limit = limit;
      this._emit();
    }
  }

  /** Memory around each executed cell, oldest first. */
  get timeline(): readonly TimelineEntry[] {
    return this._timeline;
  }

  /** State of the helper connection ('disposed' when there is none). */
  get state(): ConnectionState | 'no-kernel' {
    return this._session.connection?.state ?? 'no-kernel';
  }

  /** The connected helper's version and whether memlens injected it. */
  get helper(): { version: string; injected: boolean } | null {
    const hello = this._session.connection?.hello;
    return hello?.helper_version
      ? { version: hello.helper_version, injected: hello.bootstrapped === true }
      : null;
  }

  /** A sentence for the user about the connection state. */
  get stateMessage(): string {
    return this._session.connection?.message ?? '';
  }

  /** True while the kernel runs a cell and the helper cannot answer. */
  get busy(): boolean {
    return this._busy;
  }

  /** The last refresh error, if the last refresh failed. */
  get error(): string | null {
    return this._error;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether a view shows these facts (refresh only then). */
  get visible(): boolean {
    return this._visible;
  }
  set visible(value: boolean) {
    if (value === this._visible) {
      return;
    }
    this._visible = value;
    if (value) {
      void this._whileBusy.start();
      if (this._stale) {
        void this.refresh();
      } else {
        this._scheduleFollowUp();
      }
    } else {
      void this._whileBusy.stop();
      void this._followUps.stop();
    }
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * Fetch a new snapshot, timeline and explanation; coalesces overlapping
   * calls. (The follow-ups of an incomplete snapshot and the refreshes
   * while a cell runs ask for the snapshot only: the explanation comes
   * with the follow-up that completes it, or with the next refresh.)
   */
  refresh(): Promise<void> {
    this._explainDue = true;
    return this._coalescer.run();
  }

  /** Ask for a refresh after the user ran a cell (per the settings). */
  cellExecuted(): void {
    this._stale = true;
    if (this._visible && this._options().refreshAfterEachCell) {
      void this.refresh();
    }
  }

  /** Per-column memory and dtype suggestions of a DataFrame variable. */
  async dataframe(name: string): Promise<DataframeReport> {
    const reply = await this._connection().request(
      'dataframe',
      { name },
      60000
    );
    return required(reply.dataframe, 'dataframe');
  }

  /**
   * Delete a variable in the kernel (and its output-cache references);
   * resolves once the facts (and the explanation) are fresh again.
   */
  async free(name: string, clearOutputCache = true): Promise<DeleteResult> {
    const reply = await this._connection().request(
      'delete',
      { name, clear_output_cache: clearOutputCache },
      60000
    );
    await this.refresh();
    return required(reply.result, 'delete');
  }

  /**
   * Run one of the kernel-wide actions; resolves once the facts (and the
   * explanation) are fresh again.
   */
  async act<K extends KernelAction>(action: K): Promise<ActionResult<K>> {
    const reply = await this._connection().request(action, {}, 60000);
    await this.refresh();
    return required(reply.result, action) as ActionResult<K>;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._followUps.dispose();
    this._whileBusy.dispose();
    Signal.clearData(this);
  }

  private async _refreshOnce(): Promise<void> {
    const connection = this._session.connection;
    if (!connection || connection.state !== 'ready') {
      this._emit();
      return;
    }
    const options = this._options();
    // The helper answers on a subshell while a cell runs when it can;
    // otherwise we say "busy" rather than show stale numbers.
    this._busy = this._session.kernelBusy && !connection.answersWhileBusy;
    try {
      // Protocol 1.1: say which reply we have, so the helper can answer
      // with what changed since (a delta) instead of every variable.
      const since =
        this._snapshotConnection === connection
          ? this._snapshot?.seq
          : undefined;
      const reply = await connection.request(
        'snapshot',
        {
          threshold_bytes: options.thresholdBytes,
          ...(typeof since === 'number' ? { since } : {})
        },
        30000
      );
      const snapshot = applySnapshot(
        this._snapshotConnection === connection ? this._snapshot : null,
        required(reply.snapshot, 'snapshot')
      );
      if (!snapshot) {
        // a delta against a state we no longer have: ask for everything
        this._snapshot = null;
        this._needsFollowUp = true;
        return;
      }
      // What the resident memory is made of: asked for on a refresh, and
      // when a progressive pass completes (not on every follow-up).
      const explain =
        connection.handles('explain') &&
        (this._explainDue || (snapshot.complete && this._needsFollowUp));
      this._explainDue = false;
      const [timeline, explanation] = await Promise.all([
        options.timeline
          ? connection.request('timeline', {}).then(r => r.timeline)
          : null,
        explain
          ? connection
              .request('explain', {}, 30000)
              .then(r => required(r.result, 'explain'))
          : null
      ]);
      if (this._disposed || connection !== this._session.connection) {
        return;
      }
      this._snapshot = snapshot;
      this._limit = limitOf(snapshot.process) ?? this._limit;
      if (explanation) {
        this._explanation = explanation;
        this._limit = limitOf(explanation) ?? this._limit;
      }
      this._snapshotConnection = connection;
      // An incomplete answer continues in the helper on the next request:
      // keep asking, one request at a time, while the panel is visible.
      this._needsFollowUp = !snapshot.complete;
      this._rss =
        explanation?.rss_bytes ?? snapshot.process.rss_bytes ?? this._rss;
      if (timeline) {
        this._timeline = timeline.entries.slice(-MAX_TIMELINE);
      }
      this._error = null;
      this._stale = false;
      this._busy = false;
    } catch (reason) {
      this._error = errorMessage(reason);
      this._needsFollowUp = false;
    } finally {
      this._scheduleFollowUp();
    }
    this._emit();
  }

  /** Start the follow-up poll while a snapshot pass is incomplete. */
  private _scheduleFollowUp(): void {
    if (this._needsFollowUp && this._visible && !this._disposed) {
      // A no-op while the poll runs: it asks again after this answer.
      void this._followUps.start();
    }
  }

  /**
   * One follow-up: an incomplete answer continues in the helper on the next
   * request, so ask again, one request at a time, while the panel shows it.
   */
  private async _followUpOnce(): Promise<void> {
    if (!this._needsFollowUp || !this._visible) {
      void this._followUps.stop();
      return;
    }
    await this._coalescer.run();
    if (!this._needsFollowUp) {
      // Complete, failed (refresh errors end the pass) or replaced.
      void this._followUps.stop();
    }
  }

  /**
   * While a cell runs: refresh when the helper answers on a subshell, else
   * just say "busy" (a request would wait behind the cell).
   */
  private async _busyTick(): Promise<void> {
    const connection = this._session.connection;
    if (!connection || connection.state !== 'ready') {
      return;
    }
    if (!connection.answersWhileBusy) {
      if (!this._busy) {
        this._busy = true;
        this._emit();
      }
      return;
    }
    await this._coalescer.run();
    if (this._error !== null) {
      throw new Error(this._error);
    }
  }

  /** The cell finished: "busy" no longer holds, whoever refreshes next. */
  private _onKernelStatus(_: KernelSession, status: Kernel.Status): void {
    if (status !== 'busy' && this._busy) {
      this._busy = false;
      this._emit();
    }
  }

  private _onConnectionChanged(
    _: KernelSession,
    connection: HelperConnection | null
  ): void {
    this._snapshot = null;
    this._snapshotConnection = null;
    this._explanation = null;
    this._limit = null;
    this._rss = null;
    this._timeline = [];
    this._error = null;
    this._stale = true;
    if (connection) {
      connection.stateChanged.connect(this._onStateChanged, this);
      connection.eventReceived.connect(this._onEvent, this);
    }
    this._emit();
  }

  private _onStateChanged(
    connection: HelperConnection,
    state: ConnectionState
  ): void {
    if (state === 'ready') {
      this._limit = limitOf(connection.hello) ?? this._limit;
      void (this._visible ? this.refresh() : this._primeRss(connection));
    }
    this._emit();
  }

  /** Cells may have run before the comm opened: take RSS from the history. */
  private async _primeRss(connection: HelperConnection): Promise<void> {
    try {
      const { timeline } = await connection.request('timeline', {});
      const last = timeline?.entries[timeline.entries.length - 1];
      if (
        this._rss === null &&
        last?.rss_after &&
        connection === this._session.connection
      ) {
        this._rss = last.rss_after;
        this._emit();
      }
    } catch {
      // Only a nicety for the status bar; the next cell event brings RSS.
    }
  }

  private _onEvent(_: HelperConnection, event: KernelEvent): void {
    if (event.event === 'guard') {
      // The guard stopped a cell: what memory holds now is news.
      this._rss = event.data.rss_bytes;
      this.cellExecuted();
      this._emit();
      return;
    }
    if (event.event !== 'cell') {
      return;
    }
    const entry = event.data;
    this._rss = entry.rss_after ?? this._rss;
    if (this._options().timeline) {
      this._timeline = [...this._timeline, entry].slice(-MAX_TIMELINE);
    }
    this._emit();
  }

  private _connection(): HelperConnection {
    const connection = this._session.connection;
    if (!connection || connection.state !== 'ready') {
      throw new Error(
        this.stateMessage || trans().__('The kernel helper is not connected.')
      );
    }
    return connection;
  }

  private _emit(): void {
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  private _snapshot: Snapshot | null = null;
  private _snapshotConnection: HelperConnection | null = null;
  private _explanation: Explanation | null = null;
  /** A refresh asked for an explanation (not yet fetched). */
  private _explainDue = false;
  private _limit: IMemoryLimit | null = null;
  private _needsFollowUp = false;
  private _rss: number | null = null;
  private _timeline: TimelineEntry[] = [];
  private _busy = false;
  private _error: string | null = null;
  private _visible = false;
  private _stale = true;
  private _disposed = false;
  private _coalescer = new Coalescer(
    () => this._refreshOnce(),
    () => this._disposed
  );
  private _changed = new Signal<this, void>(this);
  private _followUps = new Poll({
    auto: false,
    name: 'memlens:snapshot-follow-up',
    factory: () => this._followUpOnce(),
    frequency: { interval: FOLLOW_UP_DELAY_MS, backoff: true, max: 10000 },
    standby: 'when-hidden'
  });
  private _whileBusy = new Poll({
    auto: false,
    name: 'memlens:refresh-while-busy',
    factory: () => this._busyTick(),
    frequency: { interval: BUSY_REFRESH_MS, backoff: true, max: 10000 },
    // Only while a cell runs, and not for a hidden browser tab.
    standby: () => (this._session.kernelBusy ? 'when-hidden' : true)
  });
}

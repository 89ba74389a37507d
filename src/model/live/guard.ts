/**
 * The memory guard of one notebook's kernel (protocol 1.2): the limit and
 * guard level of the settings go to the helper when it connects and when
 * the settings change; the guard's interruptions and the post-mortem of a
 * kernel that died come back as signals for the notifications and panel.
 */
import type { Kernel } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { Coalescer } from '../../common/coalesce';
import { errorMessage } from '../../common/errors';
import { trans } from '../../common/i18n';
import type {
  ConnectionState,
  HelperConnection
} from '../../kernel/connection';
import type { KernelSession } from '../../kernel/kernel-session';
import {
  required,
  type GuardData,
  type GuardState,
  type KernelEvent,
  type Postmortem
} from '../../kernel/protocol';
import type { ILiveOptions, IMemoryGuard, IMemoryLimit } from '../../tokens';
import { interruptAt, limitOf } from './memory-limit';

/** Kernel statuses that end the kernel whose post-mortem is shown. */
const RESTARTS: ReadonlySet<Kernel.Status> = new Set<Kernel.Status>([
  'restarting',
  'autorestarting'
]);

/** Sends the guard settings to the helper and relays what the guard saw. */
export class MemoryGuard implements IMemoryGuard, IDisposable {
  /**
   * @param _limitChanged - told the limit in force after a `guard` request
   *   (the live model shows it before the next snapshot).
   */
  constructor(
    private readonly _session: KernelSession,
    private readonly _options: () => ILiveOptions,
    private readonly _limitChanged: (limit: IMemoryLimit | null) => void
  ) {
    _session.connectionChanged.connect(this._onConnectionChanged, this);
    _session.kernelStatusChanged.connect(this._onKernelStatus, this);
    this._onConnectionChanged(_session, _session.connection);
  }

  /** What the previous kernel recorded before it died, or null. */
  get postmortem(): Postmortem | null {
    return this._postmortem;
  }

  /** The resident size at which the helper interrupts a cell (null: off). */
  get level(): number | null {
    return this._level;
  }

  /** Why the settings could not be applied, if they could not. */
  get error(): string | null {
    return this._error;
  }

  /** Emitted when the guard interrupted a running cell. */
  get tripped(): ISignal<this, GuardData> {
    return this._tripped;
  }

  /** Emitted once per post-mortem, when the restarted kernel's helper answers. */
  get postmortemFound(): ISignal<this, Postmortem> {
    return this._postmortemFound;
  }

  /** Emitted when `postmortem`, `level` or `error` changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Forget the post-mortem (the user read it). */
  dismissPostmortem(): void {
    if (this._postmortem) {
      this._postmortem = null;
      this._emit();
    }
  }

  /**
   * Send the limit and guard level of the settings to the helper: the
   * limit first when the level is a fraction of the limit the helper
   * detects. A helper older than 1.2 is left alone. Calls never overlap
   * (two settings changed one after the other would otherwise interleave
   * their requests): a call during a run makes one more run, which reads
   * the settings as they are then.
   */
  apply(): Promise<void> {
    return this._applying.run();
  }

  private async _applyOnce(): Promise<void> {
    const connection = this._session.connection;
    if (
      !connection ||
      connection.state !== 'ready' ||
      !connection.handles('guard')
    ) {
      return;
    }
    const { memoryLimitBytes = null, guardLevel = null } = this._options();
    let error: string | null = null;
    let level = this._level;
    try {
      let state: GuardState;
      const at = guardLevel ? interruptAt(guardLevel, memoryLimitBytes) : null;
      if (guardLevel && at === null) {
        // a fraction of the limit the helper finds
        state = await this._send(connection, { limit_bytes: null });
        const detected = interruptAt(guardLevel, state.limit_bytes);
        if (detected === null) {
          error = trans().__(
            'The memory guard is off: the kernel helper found no memory limit to take a share of. Set a memory limit or a guard level in bytes.'
          );
        }
        state = await this._send(connection, { interrupt_at_bytes: detected });
      } else {
        state = await this._send(connection, {
          limit_bytes: memoryLimitBytes,
          interrupt_at_bytes: at
        });
      }
      if (connection === this._session.connection) {
        this._limitChanged(limitOf(state));
        level = state.interrupt_at_bytes;
      }
    } catch (reason) {
      error = trans().__(
        'The memory guard settings were not applied: %1',
        errorMessage(reason)
      );
    }
    if (!this._disposed && (error !== this._error || level !== this._level)) {
      this._error = error;
      this._level = level;
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

  private async _send(
    connection: HelperConnection,
    args: { limit_bytes?: number | null; interrupt_at_bytes?: number | null }
  ): Promise<GuardState> {
    return required((await connection.request('guard', args)).result, 'guard');
  }

  private _onConnectionChanged(
    _: KernelSession,
    connection: HelperConnection | null
  ): void {
    if (this._level !== null) {
      this._level = null; // a new helper starts disarmed
      this._emit();
    }
    if (connection && connection.kernel !== this._kernel) {
      // another kernel: the post-mortem shown was not about it
      this._kernel = connection.kernel;
      this._postmortem = null;
      this._emit();
    }
    connection?.stateChanged.connect(this._onStateChanged, this);
    connection?.eventReceived.connect(this._onEvent, this);
  }

  private _onStateChanged(
    connection: HelperConnection,
    state: ConnectionState
  ): void {
    if (state !== 'ready') {
      return;
    }
    const postmortem = connection.hello?.postmortem;
    if (postmortem) {
      this._postmortem = postmortem;
      this._emit();
      this._postmortemFound.emit(postmortem);
    }
    void this.apply();
  }

  private _onKernelStatus(_: KernelSession, status: Kernel.Status): void {
    if (RESTARTS.has(status) && this._postmortem) {
      this._postmortem = null;
      this._emit();
    }
  }

  private _onEvent(_: HelperConnection, event: KernelEvent): void {
    if (event.event === 'guard') {
      this._tripped.emit(event.data);
    }
  }

  private _emit(): void {
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  private _postmortem: Postmortem | null = null;
  private _kernel: Kernel.IKernelConnection | null = null;
  private _error: string | null = null;
  private _level: number | null = null;
  private _applying = new Coalescer(
    () => this._applyOnce(),
    () => this._disposed
  );
  private _disposed = false;
  private _tripped = new Signal<this, GuardData>(this);
  private _postmortemFound = new Signal<this, Postmortem>(this);
  private _changed = new Signal<this, void>(this);
}

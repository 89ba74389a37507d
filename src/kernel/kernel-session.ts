import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import type { IKernelSession } from '../tokens';
import {
  ConnectionState,
  HelperConnection,
  IConnectionOptions
} from './connection';
import { trans } from '../common/i18n';

/** Kernel statuses after which the helper (and its comm) is gone. */
const GONE: ReadonlySet<Kernel.Status> = new Set<Kernel.Status>([
  'restarting',
  'autorestarting',
  'dead',
  'terminating',
  // A new kernel process announces itself: seen by a second notebook on a
  // kernel that another notebook restarted (this one saw no 'restarting').
  'starting'
]);

/** Kernel statuses in which a kernel answers messages. */
const ALIVE: ReadonlySet<Kernel.Status> = new Set<Kernel.Status>([
  'idle',
  'busy'
]);

/**
 * Follows one notebook's session and keeps exactly one helper connection
 * to its current kernel: a new one after a kernel change or restart, none
 * while the kernel is restarting, dead or absent.
 *
 * After a restart it waits for the restarted kernel before opening a comm:
 * the kernel connection reports the old process's last 'busy'/'idle'
 * statuses while the restart request is in flight, and a comm opened then
 * is torn down with the old kernel (and races JupyterLab's per-target
 * subshell cache, see connection.ts). The restart is over when the kernel
 * connection has reconnected (both the manual restart and the server's
 * autorestart reconnect) and the session context no longer restarts.
 */
export class KernelSession implements IKernelSession, IDisposable {
  constructor(
    private readonly _sessionContext: ISessionContext,
    private readonly _options: () => IConnectionOptions
  ) {
    _sessionContext.kernelChanged.connect(this._onKernelChanged, this);
    _sessionContext.statusChanged.connect(this._onStatusChanged, this);
    _sessionContext.connectionStatusChanged.connect(
      this._onConnectionStatusChanged,
      this
    );
    void _sessionContext.ready.then(() => this._ensureConnection());
  }

  /** The connection to the current kernel's helper, if any. */
  get connection(): HelperConnection | null {
    return this._connection;
  }

  /** Emitted when the connection is replaced or dropped (kernel lifecycle). */
  get connectionChanged(): ISignal<this, HelperConnection | null> {
    return this._connectionChanged;
  }

  /** Emitted when the kernel's status changes (busy, idle, restarting...). */
  get kernelStatusChanged(): ISignal<this, Kernel.Status> {
    return this._kernelStatusChanged;
  }

  /** True while the kernel is executing something. */
  get kernelBusy(): boolean {
    return this._sessionContext.kernelDisplayStatus === 'busy';
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Drop the connection and open a new one (e.g. settings changed). */
  reconnect(): void {
    this._drop();
    this._ensureConnection();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._revive.dispose();
    this._drop();
    Signal.clearData(this);
  }

  private _onKernelChanged(
    _: ISessionContext,
    change: {
      oldValue: Kernel.IKernelConnection | null;
      newValue: Kernel.IKernelConnection | null;
    }
  ): void {
    // SessionContext.restartKernel() reports the restarted kernel as a
    // kernel change to the same connection: the restart is over then, and
    // a connection opened since belongs to the new process.
    this._restarting = false;
    if (
      change.newValue &&
      change.newValue === change.oldValue &&
      this._connection?.kernel === change.newValue
    ) {
      return;
    }
    this._drop();
    this._ensureConnection();
  }

  private _onStatusChanged(_: ISessionContext, status: Kernel.Status): void {
    if (status === 'restarting' || status === 'autorestarting') {
      this._restarting = true;
    }
    if (GONE.has(status)) {
      this._drop();
    } else if (ALIVE.has(status)) {
      this._ensureConnection();
    }
    this._kernelStatusChanged.emit(status);
  }

  private _onConnectionStatusChanged(
    _: ISessionContext,
    status: Kernel.ConnectionStatus
  ): void {
    if (status === 'connected') {
      // A restart reconnects the websocket once the new process runs;
      // whatever the kernel says from now on comes from that process.
      this._restarting = false;
    }
  }

  private _ensureConnection(): void {
    const kernel = this._sessionContext.session?.kernel;
    if (
      this._disposed ||
      this._connection ||
      this._restarting ||
      this._sessionContext.isRestarting ||
      !kernel ||
      kernel.isDisposed ||
      kernel.connectionStatus !== 'connected' ||
      !ALIVE.has(kernel.status)
    ) {
      return;
    }
    const connection = new HelperConnection(kernel, this._options());
    this._connection = connection;
    connection.stateChanged.connect(this._onConnectionState, this);
    this._connectionChanged.emit(connection);
    this._connecting = connection.connect();
  }

  /**
   * The helper closed the comm after the handshake: the closed connection
   * stays (so the panel can say so) until the revive poll replaces it.
   */
  private _onConnectionState(
    connection: HelperConnection,
    state: ConnectionState
  ): void {
    if (connection === this._connection && state === 'closed') {
      void this._revive.start();
    }
  }

  /**
   * One revive attempt: replace a closed (or, on a retry, unavailable)
   * connection with a new one. Rejects while that fails, so the poll backs
   * off; stops once connected or when the kernel lifecycle took over.
   */
  private async _reviveOnce(): Promise<void> {
    const current = this._connection;
    if (current?.state === 'closed' || current?.state === 'unavailable') {
      this._drop(current);
    }
    this._ensureConnection();
    const connection = this._connection;
    const state = connection ? await this._connecting : null;
    if (
      connection === this._connection &&
      (state === 'closed' || state === 'unavailable')
    ) {
      throw new Error(
        trans().__('The memlens helper connection is %1.', state)
      );
    }
    // Ready, or nothing to revive (no kernel, not Python, replaced by a
    // restart or kernel change, whose handlers open the next connection).
    void this._revive.stop();
  }

  /** Drop the connection (only `expected` when given). */
  private _drop(expected?: HelperConnection): void {
    const connection = this._connection;
    if (!connection || (expected && connection !== expected)) {
      return;
    }
    this._connection = null;
    connection.dispose();
    if (!this._disposed) {
      this._connectionChanged.emit(null);
    }
  }

  private _connection: HelperConnection | null = null;
  private _connecting: Promise<ConnectionState> = Promise.resolve('disposed');
  private _restarting = false;
  private _disposed = false;
  private _connectionChanged = new Signal<this, HelperConnection | null>(this);
  private _kernelStatusChanged = new Signal<this, Kernel.Status>(this);
  /**
   * Reopens the connection after the helper closed it: immediately, then
   * with backoff while attempts fail, so a helper that keeps closing its
   * comm does not make memlens spin.
   */
  private _revive = new Poll({
    auto: false,
    name: 'memlens:revive-helper-connection',
    factory: () => this._reviveOnce(),
    frequency: { interval: 1000, backoff: true, max: 60000 },
    standby: 'when-hidden'
  });
}

import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { HelperConnection, IConnectionOptions } from './connection';
import type { IKernelSession } from '../notebook/types';

/**
 * Follows one notebook's session and keeps exactly one helper connection
 * to its current kernel: a new one after a kernel change or restart, none
 * while the kernel is restarting, dead or absent.
 */
export class KernelSession implements IKernelSession, IDisposable {
  constructor(
    private readonly _sessionContext: ISessionContext,
    private readonly _options: () => IConnectionOptions
  ) {
    _sessionContext.kernelChanged.connect(this._onKernelChanged, this);
    _sessionContext.statusChanged.connect(this._onStatusChanged, this);
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
    this._drop();
    Signal.clearData(this);
  }

  private _onKernelChanged(): void {
    this._drop();
    this._ensureConnection();
  }

  private _onStatusChanged(_: ISessionContext, status: Kernel.Status): void {
    if (
      status === 'restarting' ||
      status === 'autorestarting' ||
      status === 'dead' ||
      status === 'terminating'
    ) {
      this._drop();
    } else if (status === 'idle' || status === 'busy') {
      this._ensureConnection();
    }
  }

  private _ensureConnection(): void {
    const kernel = this._sessionContext.session?.kernel;
    if (this._disposed || this._connection || !kernel || kernel.isDisposed) {
      return;
    }
    const status = kernel.status;
    if (
      status === 'restarting' ||
      status === 'autorestarting' ||
      status === 'dead' ||
      status === 'starting' ||
      status === 'unknown'
    ) {
      return;
    }
    const connection = new HelperConnection(kernel, this._options());
    this._connection = connection;
    this._connectionChanged.emit(connection);
    void connection.connect();
  }

  private _drop(): void {
    const connection = this._connection;
    if (!connection) {
      return;
    }
    this._connection = null;
    connection.dispose();
    if (!this._disposed) {
      this._connectionChanged.emit(null);
    }
  }

  private _connection: HelperConnection | null = null;
  private _disposed = false;
  private _connectionChanged = new Signal<this, HelperConnection | null>(this);
}

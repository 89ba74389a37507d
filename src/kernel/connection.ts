import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { BOOTSTRAP_SOURCE } from './bootstrap.generated';
import {
  COMM_TARGET,
  HelloReply,
  IReplies,
  IRequests,
  KernelEvent,
  PROTOCOL_VERSION
} from './protocol';
import {
  ConnectionState,
  HelperError,
  IConnectionOptions,
  incompatibility,
  isUnknownSubshell,
  settledWithin
} from './comm-util';
import { trans } from '../common/i18n';
import { checkIncoming } from './incoming';
import { PendingRequests } from '../common/pending-requests';
import { errorMessage } from '../common/errors';

export { HelperError };
export type { ConnectionState, IConnectionOptions };

/** How many times `_open` retries a comm whose subshell the kernel does not know. */
const STALE_SUBSHELL_RETRIES = 2;

/**
 * One comm to the memlens helper in one kernel: handshake (`hello`),
 * helper injection when the kernel has none, typed request/reply with
 * timeouts, and events. It never outlives its kernel: the kernel session
 * (kernel-session.ts) disposes it on restart, death or kernel change.
 */
export class HelperConnection implements IDisposable {
  constructor(
    private readonly _kernel: Kernel.IKernelConnection,
    private readonly _options: IConnectionOptions
  ) {}

  /** The kernel connection this helper connection talks through. */
  get kernel(): Kernel.IKernelConnection {
    return this._kernel;
  }

  /** Current state; see `stateChanged`. */
  get state(): ConnectionState {
    return this._state;
  }

  /** A sentence for the user about the state (why it is unavailable...). */
  get message(): string {
    return this._message;
  }

  /** The helper's `hello` reply once ready. */
  get hello(): HelloReply | null {
    return this._hello;
  }

  /** Emitted when `state` changes. */
  get stateChanged(): ISignal<this, ConnectionState> {
    return this._stateChanged;
  }

  /** Unsolicited events from the helper (e.g. memory after each cell). */
  get eventReceived(): ISignal<this, KernelEvent> {
    return this._eventReceived;
  }

  get isDisposed(): boolean {
    return this._state === 'disposed';
  }

  /** Whether the helper announced feature `name` in `hello`. */
  supports(name: string): boolean {
    return this._hello?.capabilities?.features.includes(name) ?? false;
  }

  /** Whether the helper takes request `type` (its `hello` lists it). */
  handles(type: keyof IRequests): boolean {
    return this._hello?.capabilities?.requests.includes(type) ?? false;
  }

  /**
   * True when requests reach the helper while a cell runs: the kernel has
   * subshells and JupyterLab routes this comm through one.
   */
  get answersWhileBusy(): boolean {
    const comm = this._comm as Partial<{ subshellId: string | null }> | null;
    return this._hello?.kernel_subshells === true && !!comm?.subshellId;
  }

  /**
   * Connect: check the kernel language, open the comm, inject the helper
   * when missing (and allowed), and shake hands. Resolves to the final state.
   */
  async connect(): Promise<ConnectionState> {
    try {
      const info = await this._kernel.info;
      if (this.isDisposed) {
        return this._state;
      }
      if (info.language_info.name.toLowerCase() !== 'python') {
        return this._setState(
          'not-python',
          trans().__(
            'The %1 kernel has no memlens helper: only static analysis is available.',
            info.language_info.name
          )
        );
      }
      if (!this._kernel.handleComms) {
        // JupyterLab lets one connection per kernel in a page handle comms
        // (services' KernelManager): a second notebook on the kernel cannot.
        return this._setState(
          'unavailable',
          trans().__(
            'Another notebook in this window uses the same kernel and holds its connections: its memlens panel shows this kernel.'
          )
        );
      }
      const opened = await this._open();
      if (opened === true || this.isDisposed) {
        return this._state;
      }
      if (opened === 'stale-subshell') {
        return this._setState(
          'unavailable',
          trans().__(
            'JupyterLab kept routing the memlens comm to a kernel subshell that no longer exists.'
          )
        );
      }
      if (!this._options.autoInject) {
        return this._setState(
          'unavailable',
          'memlens-kernel is not installed in this kernel and helper injection is turned off in the settings.'
        );
      }
      await this._inject();
      if (this.isDisposed || (await this._open()) === true) {
        return this._state;
      }
      return this._setState(
        'unavailable',
        trans().__('The memlens helper could not be started in this kernel.')
      );
    } catch (reason) {
      if (!this.isDisposed) {
        this._setState(
          'unavailable',
          trans().__(
            'memlens could not reach the kernel: %1',
            errorMessage(reason)
          )
        );
      }
      return this._state;
    }
  }

  /**
   * Send a typed request and wait for its reply.
   *
   * @throws HelperError when the helper replies `ok: false`, does not answer
   * in time, or the connection is not ready.
   */
  request<K extends keyof IRequests>(
    type: K,
    args: IRequests[K],
    timeoutMs = this._options.timeoutMs ?? 15000
  ): Promise<IReplies[K]> {
    return this._send(type, args, timeoutMs) as Promise<IReplies[K]>;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._pending.rejectAll(
      new HelperError(trans().__('The kernel connection was closed.'))
    );
    const comm = this._comm;
    this._comm = null;
    if (comm && !comm.isDisposed && !this._kernel.isDisposed) {
      try {
        comm.close();
      } catch {
        // The kernel is already gone.
      }
    }
    this._setState('disposed', '');
    Signal.clearData(this);
  }

  /** Open the comm and say hello (retrying stale subshells, `_openOnce`). */
  private async _open(): Promise<boolean | 'stale-subshell'> {
    for (let attempt = 0; ; attempt++) {
      const result = await this._openOnce();
      if (
        result !== 'stale-subshell' ||
        this.isDisposed ||
        attempt >= STALE_SUBSHELL_RETRIES
      ) {
        return result;
      }
    }
  }

  /**
   * One attempt at opening the comm.
   *
   * JupyterLab (@jupyterlab/services, kernel/comm.js) routes comms through
   * one kernel subshell per comm target and caches that subshell's id per
   * kernel id. When the last comm of a target closes while the subshell is
   * still being created, the cache entry stays until the id arrives, a comm
   * opened in between joins it, and the closing comm then deletes the very
   * subshell the new one is given: the kernel answers `comm_open` with an
   * `UnknownSubshellError` reply and never sees our `hello`. By the time that
   * reply arrives the stale entry is gone, so a new comm gets a fresh
   * subshell ('stale-subshell' asks the caller to try again).
   */
  private async _openOnce(): Promise<boolean | 'stale-subshell'> {
    const comm = this._kernel.createComm(COMM_TARGET);
    const closed = new PromiseDelegate<false | 'stale-subshell'>();
    comm.onClose = () => {
      if (this._comm === comm) {
        this._comm = null;
        this._failPending(
          trans().__('The memlens helper closed the connection.')
        );
        if (this._state === 'ready') {
          this._setState(
            'closed',
            trans().__(
              'The memlens helper closed the connection; memlens reconnects.'
            )
          );
        }
      }
      closed.resolve(false);
    };
    comm.onMsg = msg => this._onMessage(msg);
    this._comm = comm;
    // JupyterLab runs comms on a kernel subshell when the kernel supports it,
    // so the helper answers while a cell runs; wait until that is set up.
    await settledWithin(
      (comm as Partial<{ subshellStarted: Promise<void> }>).subshellStarted,
      3000
    );
    if (this.isDisposed) {
      return false;
    }
    const opened = comm.open({ protocol: PROTOCOL_VERSION }) as
      Kernel.IShellFuture | undefined;
    if (opened) {
      // comm_open has no reply of its own; ipykernel sends an error reply
      // when it cannot route the message (kernelbase.py, unknown subshell).
      opened.onReply = reply => {
        if (isUnknownSubshell(reply.content)) {
          closed.resolve('stale-subshell');
        }
      };
    }
    const hello = this._send(
      'hello',
      { frontend_version: PROTOCOL_VERSION },
      15000
    ).then(
      reply => reply as HelloReply,
      (error: HelperError) => error
    );
    const result = await Promise.race([hello, closed.promise]);
    if (
      result === false ||
      result === 'stale-subshell' ||
      (result instanceof HelperError && !result.answered)
    ) {
      if (this._comm === comm) {
        this._comm = null;
        this._failPending(trans().__('The memlens helper did not answer.'));
      }
      if (result === 'stale-subshell' && !comm.isDisposed) {
        // No comm_close: the kernel never opened this comm. Disposing
        // releases JupyterLab's reference to the stale subshell entry.
        comm.dispose();
      }
      return result === 'stale-subshell' ? result : false;
    }
    if (!(result instanceof HelperError)) {
      this._hello = result;
    }
    const refusal = incompatibility(result);
    if (refusal !== null) {
      this._setState('incompatible', refusal);
      return true;
    }
    if (this._comm !== comm) {
      return false; // closed between the reply and now
    }
    this._setState('ready', '');
    return true;
  }

  private async _inject(): Promise<void> {
    const future = this._kernel.requestExecute({
      code: BOOTSTRAP_SOURCE,
      silent: true,
      store_history: false,
      allow_stdin: false,
      stop_on_error: false
    });
    await future.done;
  }

  private _send(
    type: string,
    args: object,
    timeoutMs: number
  ): Promise<unknown> {
    const comm = this._comm;
    if (!comm || comm.isDisposed) {
      return Promise.reject(
        new HelperError(trans().__('The memlens helper is not connected.'))
      );
    }
    const { id, promise } = this._pending.add(timeoutMs, late =>
      this._pending.reject(
        late,
        new HelperError(
          trans().__(
            'The kernel did not answer "%1" within %2 s.',
            type,
            timeoutMs / 1000
          )
        )
      )
    );
    comm.send({ ...args, protocol: PROTOCOL_VERSION, id, type });
    return promise;
  }

  private _onMessage(msg: KernelMessage.ICommMsgMsg): void {
    // The boundary: nothing past this line reads an unchecked message.
    const incoming = checkIncoming(msg.content.data);
    if (incoming.kind === 'event') {
      this._eventReceived.emit(incoming.event);
      return;
    }
    if (incoming.kind === 'error') {
      // shown once per connection (the console), and to the request's
      // caller when the message names one; never a crash
      if (!this._malformedSeen) {
        this._malformedSeen = true;
        console.warn(`memlens: ${incoming.message}`, msg.content.data);
      }
      if (incoming.id !== null) {
        this._pending.reject(incoming.id, new HelperError(incoming.message));
      }
      return;
    }
    if (!incoming.ok) {
      this._pending.reject(
        incoming.id,
        new HelperError(
          incoming.error ?? trans().__('The memlens helper failed.'),
          true
        )
      );
    } else {
      this._pending.resolve(incoming.id, incoming.data);
    }
  }

  private _failPending(message: string): void {
    this._pending.rejectAll(new HelperError(message));
  }

  private _setState(state: ConnectionState, message: string): ConnectionState {
    this._state = state;
    this._message = message;
    this._stateChanged.emit(state);
    return state;
  }

  private _state: ConnectionState = 'connecting';
  private _message = '';
  private _hello: HelloReply | null = null;
  private _comm: Kernel.IComm | null = null;
  private _pending = new PendingRequests();
  /** A malformed message was reported (once per connection). */
  private _malformedSeen = false;
  private _stateChanged = new Signal<this, ConnectionState>(this);
  private _eventReceived = new Signal<this, KernelEvent>(this);
}

/**
 * A fake kernel connection with a scripted memlens helper, for testing the
 * frontend's comm client without a kernel. Every message the frontend sends
 * it and every message the scripted helper answers or pushes is validated
 * against schema/protocol.schema.json (a test that scripts a message the
 * real helper could not send fails), except what `pushRaw` sends on purpose.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { assertMessage } from './schema';

/** How the scripted helper behaves. */
export interface IFakeHelper {
  /** The kernel has a `memlens` comm target (false: the open is refused). */
  installed: boolean;
  /** Answer one request (return null to stay silent). */
  answer(request: Record<string, unknown>): Record<string, unknown> | null;
}

/** A comm whose messages go to the scripted helper. */
class FakeComm {
  constructor(
    private readonly _kernel: FakeKernel,
    readonly targetName: string
  ) {}

  onMsg: (msg: KernelMessage.ICommMsgMsg) => void = () => undefined;
  onClose: (msg: unknown) => void = () => undefined;
  isDisposed = false;
  readonly subshellStarted = Promise.resolve();
  subshellId: string | null = null;

  open(): { onReply: (reply: { content: unknown }) => void } {
    const future = { onReply: (_: { content: unknown }) => undefined as void };
    if (this._kernel.staleSubshellOpens > 0) {
      // What ipykernel 7 answers when the comm's subshell does not exist:
      // an error reply, and nothing reaches the helper.
      this._kernel.staleSubshellOpens--;
      this.stale = true;
      setTimeout(
        () =>
          future.onReply({
            content: {
              status: 'error',
              ename: 'UnknownSubshellError',
              evalue: "Unknown subshell_id 'gone'"
            }
          }),
        0
      );
    } else if (!this._kernel.helper.installed) {
      // What ipykernel does for an unknown target.
      setTimeout(() => this.close(), 0);
    }
    return future;
  }

  /** True when the kernel could not route this comm (stale subshell). */
  stale = false;

  dispose(): void {
    this.isDisposed = true;
  }

  send(data: Record<string, unknown>): void {
    this._kernel.sent.push(data);
    assertMessage('Request', data);
    const reply =
      this._kernel.helper.installed && !this.stale
        ? this._kernel.helper.answer(data)
        : null;
    if (reply) {
      if (this._kernel.checked) {
        assertMessage('Reply', reply);
      }
      setTimeout(
        () =>
          this.onMsg({
            content: { comm_id: 'c', data: reply }
          } as unknown as KernelMessage.ICommMsgMsg),
        0
      );
    }
  }

  close(): void {
    if (!this.isDisposed) {
      this.isDisposed = true;
      this.onClose({});
    }
  }

  /** Push an unsolicited message from the helper (a valid `Event`). */
  push(data: Record<string, unknown>): void {
    assertMessage('Event', data);
    this.pushRaw(data);
  }

  /** Push anything, unchecked: a malformed or newer helper. */
  pushRaw(data: unknown): void {
    this.onMsg({
      content: { comm_id: 'c', data }
    } as unknown as KernelMessage.ICommMsgMsg);
  }
}

/** Just enough of `Kernel.IKernelConnection` for `HelperConnection`. */
export class FakeKernel {
  constructor(
    readonly helper: IFakeHelper,
    readonly language = 'python'
  ) {}

  sent: Record<string, unknown>[] = [];
  executed: string[] = [];
  comms: FakeComm[] = [];
  isDisposed = false;
  status: Kernel.Status = 'idle';
  /** False for a second connection to a kernel in the same page. */
  handleComms = true;
  connectionStatus: Kernel.ConnectionStatus = 'connected';
  /** How many of the next comm opens go to a subshell the kernel lost. */
  staleSubshellOpens = 0;
  /** Installs the helper when the bootstrap is executed. */
  bootstrapInstalls = true;
  /** Replies are checked against the schema (off: a malformed helper). */
  checked = true;

  get info(): Promise<KernelMessage.IInfoReply> {
    return Promise.resolve({
      language_info: { name: this.language }
    } as KernelMessage.IInfoReply);
  }

  createComm(target: string): FakeComm {
    const comm = new FakeComm(this, target);
    this.comms.push(comm);
    return comm;
  }

  requestExecute(content: { code: string }): { done: Promise<unknown> } {
    this.executed.push(content.code);
    if (this.bootstrapInstalls) {
      this.helper.installed = true;
    }
    return { done: Promise.resolve({}) };
  }

  /** Typed view for the code under test. */
  get asKernel(): Kernel.IKernelConnection {
    return this as unknown as Kernel.IKernelConnection;
  }
}

/** A helper that answers like memlens-kernel 0.1 (protocol 1.0). */
export function standardHelper(protocol = '1.0'): IFakeHelper {
  return {
    installed: true,
    answer: request => {
      const base = {
        protocol,
        id: request.id,
        type: `${request.type}_reply`,
        ok: true
      };
      switch (request.type) {
        case 'hello':
          return protocol.startsWith('1.')
            ? {
                ...base,
                helper_version: '0.1.0',
                protocol_version: protocol,
                python_version: '3.11.2',
                implementation: 'CPython',
                platform: 'linux',
                ipykernel_version: '7.4.0',
                kernel_subshells: true,
                bootstrapped: false,
                capabilities: {
                  requests: [],
                  features: ['cell-events'],
                  rules: [],
                  peak_method: 'vmhwm'
                }
              }
            : {
                ...base,
                ok: false,
                error: `protocol mismatch: the kernel helper speaks ${protocol}`
              };
        case 'delete':
          return {
            ...base,
            ok: false,
            error: '`1x` is not a valid identifier'
          };
        case 'timeline':
          return null;
        default:
          return base;
      }
    }
  };
}

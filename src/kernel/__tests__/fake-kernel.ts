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

/** The memory of the kernel a `memoryHelper` (protocol 1.2) reports. */
export interface IFakeMemory {
  rss: number;
  /** The limit the helper detects (null: none found). */
  detected: number | null;
  /** The limit a `guard` request set (null: the detected one). */
  override: number | null;
  /** The guard level (null: off). */
  interruptAt: number | null;
  /** The post-mortem the first `hello` returns, then forgets. */
  postmortem: Record<string, unknown> | null;
  /** The allocator part of `explain`. */
  allocator: number;
}

/**
 * A helper of protocol 1.2 that explains memory, takes `guard` requests
 * and returns a post-mortem once, as memlens-kernel does.
 */
export function memoryHelper(memory: IFakeMemory): IFakeHelper {
  const base = standardHelper('1.2');
  const limit = () => {
    const bytes = memory.override ?? memory.detected;
    const source =
      memory.override !== null
        ? 'setting'
        : memory.detected !== null
          ? 'cgroup'
          : null;
    return { limit_bytes: bytes, limit_source: source };
  };
  return {
    installed: true,
    answer: request => {
      const envelope = {
        protocol: '1.2',
        id: request.id,
        type: `${request.type}_reply`,
        ok: true
      };
      switch (request.type) {
        case 'hello': {
          const hello = base.answer(request)!;
          const postmortem = memory.postmortem;
          memory.postmortem = null;
          return {
            ...hello,
            capabilities: {
              ...(hello.capabilities as object),
              requests: ['hello', 'snapshot', 'timeline', 'explain', 'guard']
            },
            ...limit(),
            postmortem
          };
        }
        case 'guard':
          if ('limit_bytes' in request) {
            memory.override = request.limit_bytes as number | null;
          }
          if ('interrupt_at_bytes' in request) {
            memory.interruptAt = request.interrupt_at_bytes as number | null;
          }
          return {
            ...envelope,
            result: { ...limit(), interrupt_at_bytes: memory.interruptAt }
          };
        case 'snapshot':
          return {
            ...envelope,
            snapshot: {
              seq: 1,
              complete: true,
              elapsed_ms: 1,
              budget_ms: 200,
              variables: [],
              skipped: [],
              hidden: [],
              findings: [],
              total_bytes: 0,
              gc: {
                enabled: true,
                count: [0, 0, 0],
                threshold: [700, 10, 10],
                stats: [],
                frozen: 0,
                garbage: 0
              },
              process: {
                rss_bytes: memory.rss,
                peak_rss_bytes: null,
                uss_bytes: null,
                pid: 1,
                ...limit()
              }
            }
          };
        case 'explain': {
          const variables = Math.round(memory.rss / 2);
          return {
            ...envelope,
            result: {
              rss_bytes: memory.rss,
              ...limit(),
              complete: true,
              elapsed_ms: 2,
              parts: [
                {
                  kind: 'variables',
                  bytes: variables,
                  top: [{ name: 'df', bytes: variables }]
                },
                { kind: 'hidden', bytes: 0, top: [] },
                {
                  kind: 'baseline',
                  bytes: memory.rss - variables - memory.allocator
                },
                {
                  kind: 'allocator',
                  bytes: memory.allocator,
                  fix: 'release_to_os'
                },
                { kind: 'unattributed', bytes: 0 }
              ]
            }
          };
        }
        case 'release_to_os': {
          const released = memory.allocator;
          memory.rss -= released;
          memory.allocator = 0;
          return {
            ...envelope,
            result: {
              trimmed: true,
              rss_before: memory.rss + released,
              rss_after: memory.rss,
              released_bytes: released,
              error: null
            }
          };
        }
        default:
          return base.answer(request);
      }
    }
  };
}

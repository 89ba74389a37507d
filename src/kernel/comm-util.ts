/**
 * Small pieces of the helper connection (connection.ts): its state and
 * error types, promise/reply helpers and the `hello` verdict.
 */
import { trans } from '../common/i18n';
import { HelloReply, majorOf, PROTOCOL_MAJOR } from './protocol';

/** Options of a connection. */
export interface IConnectionOptions {
  /** Send the bundled helper source when the kernel has no helper. */
  autoInject: boolean;
  /** Default reply timeout in ms. */
  timeoutMs?: number;
}

/** Where a connection to the kernel helper stands. */
export type ConnectionState =
  | 'connecting'
  | 'ready'
  /** The kernel has no helper and injection is off or failed. */
  | 'unavailable'
  /** The helper speaks another major protocol version. */
  | 'incompatible'
  /** The kernel is not a Python kernel: static analysis only. */
  | 'not-python'
  /**
   * The helper closed the comm after the handshake (it was unloaded, or the
   * kernel dropped the comm): requests fail until the kernel session opens
   * a new connection.
   */
  | 'closed'
  | 'disposed';

/** A request that failed: the helper said no, timed out, or went away. */
export class HelperError extends Error {
  /**
   * @param message - for the user.
   * @param answered - true when the helper itself replied `ok: false`.
   */
  constructor(
    message: string,
    readonly answered = false
  ) {
    super(message);
  }
}

/** Wait for `promise` (if any) but at most `ms`; never rejects. */
export async function settledWithin(
  promise: Promise<unknown> | undefined,
  ms: number
): Promise<void> {
  if (!promise) {
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>(
    resolve => (timer = setTimeout(resolve, ms))
  );
  await Promise.race([promise.catch(() => undefined), timeout]);
  clearTimeout(timer);
}

/** Whether a shell reply says the message went to an unknown subshell. */
export function isUnknownSubshell(content: unknown): boolean {
  const reply = content as { status?: unknown; ename?: unknown } | null;
  return reply?.status === 'error' && reply.ename === 'UnknownSubshellError';
}

/**
 * Why the helper's answer to `hello` rules the connection out, or null when
 * it speaks our protocol: it refused us (`HelperError`), or it speaks
 * another major version.
 */
export function incompatibility(
  answer: HelloReply | HelperError
): string | null {
  if (answer instanceof HelperError) {
    return trans().__(
      "The kernel's memlens helper refused this JupyterLab extension: %1",
      answer.message
    );
  }
  if (majorOf(answer.protocol_version ?? answer.protocol) === PROTOCOL_MAJOR) {
    return null;
  }
  return trans().__(
    "This kernel runs memlens helper %1 (protocol %2); this JupyterLab extension needs protocol %3.x. Install a matching memlens-kernel in the kernel's environment.",
    answer.helper_version ?? '?',
    answer.protocol_version ?? answer.protocol,
    PROTOCOL_MAJOR
  );
}

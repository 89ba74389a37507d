/**
 * The boundary of the comm: every message from the kernel helper is checked
 * here before any of memlens reads it as a typed message. The check is the
 * schema's envelope (schema/protocol.schema.json: `protocol`, `type`, and
 * `id`/`ok`/`error` for replies, `event`/`data` for events); the payloads
 * are typed from the same schema and their tests validate the fake
 * helper's replies against it (src/kernel/__tests__/fake-kernel.ts).
 */
import { majorOf, PROTOCOL_MAJOR } from './protocol';
import type { KernelEvent } from './protocol';

/** A checked reply: `ok` false carries the helper's own error. */
export interface IIncomingReply {
  kind: 'reply';
  id: number;
  type: string;
  ok: boolean;
  error: string | null;
  data: Record<string, unknown>;
}

/** A checked unsolicited event. */
export interface IIncomingEvent {
  kind: 'event';
  event: KernelEvent;
}

/** What a malformed message is (with its request id when it has one). */
export interface IIncomingError {
  kind: 'error';
  id: number | null;
  message: string;
}

export type Incoming = IIncomingReply | IIncomingEvent | IIncomingError;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Check one message from the helper; never throws. */
export function checkIncoming(data: unknown): Incoming {
  if (!isObject(data)) {
    return bad(null, 'a message that is not a JSON object');
  }
  const id = Number.isInteger(data.id) ? (data.id as number) : null;
  if (typeof data.protocol !== 'string' || !/^\d+\.\d+$/.test(data.protocol)) {
    return bad(id, 'a message without a protocol version');
  }
  // (the answer to `hello` goes through: the handshake itself tells the
  // user which versions do not match)
  if (
    majorOf(data.protocol) !== PROTOCOL_MAJOR &&
    data.type !== 'hello_reply'
  ) {
    return bad(
      id,
      `a message of protocol ${data.protocol} (this extension speaks ${PROTOCOL_MAJOR}.x)`
    );
  }
  if (typeof data.type !== 'string') {
    return bad(id, 'a message without a type');
  }
  if (data.type === 'event') {
    if (typeof data.event !== 'string' || !isObject(data.data)) {
      return bad(null, 'an event without a name or data');
    }
    return { kind: 'event', event: data as unknown as KernelEvent };
  }
  if (!data.type.endsWith('_reply')) {
    return bad(id, `a message of unknown type "${data.type}"`);
  }
  if (id === null || id < 0) {
    return data.type === 'error_reply' && typeof data.error === 'string'
      ? bad(null, `an error for a request it could not read (${data.error})`)
      : bad(null, `a "${data.type}" without a request id`);
  }
  if (typeof data.ok !== 'boolean') {
    return bad(id, `a "${data.type}" without "ok"`);
  }
  if (data.error !== undefined && typeof data.error !== 'string') {
    return bad(id, `a "${data.type}" whose error is not text`);
  }
  return {
    kind: 'reply',
    id,
    type: data.type,
    ok: data.ok,
    error: typeof data.error === 'string' ? data.error : null,
    data
  };
}

function bad(id: number | null, what: string): IIncomingError {
  return {
    kind: 'error',
    id,
    message: `The memlens helper sent ${what}; memlens ignored it. Are the kernel helper (memlens-kernel) and this extension of matching versions?`
  };
}

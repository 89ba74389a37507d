/** Human-readable formatting shared by the panel sections and status bar. */

import { formatBytes, formatDelta } from '../common/bytes';
import type {
  ClearResult,
  CloseFiguresResult,
  CollectResult,
  ReleaseResult
} from '../kernel/protocol.generated';

export { formatBytes, formatDelta };

/** `shape` or `len` of a variable as text: `(1000, 5)` / `len 3`. */
export function formatShape(
  shape: readonly (number | null)[] | null | undefined,
  len: number | null | undefined
): string {
  if (shape && shape.length > 0) {
    return `(${shape.map(n => n ?? '?').join(', ')})`;
  }
  if (len !== null && len !== undefined) {
    return `len ${len}`;
  }
  return '';
}

/** `RSS 1.2 GiB → 1.0 GiB (-200.0 MiB)`, or null when either value is unknown. */
export function describeRss(
  before: number | null | undefined,
  after: number | null | undefined
): string | null {
  if (typeof before !== 'number' || typeof after !== 'number') {
    return null;
  }
  return `RSS ${formatBytes(before)} → ${formatBytes(after)} (${formatDelta(after - before)})`;
}

/** What a `delete` reply says, for humans. */
export interface IFreeDescription {
  /** One or two sentences: what was freed, what still holds it, RSS. */
  text: string;
  /**
   * True when bytes were freed but resident memory barely dropped: the
   * allocator kept the pages, and **Release to OS** would return them.
   */
  offerRelease: boolean;
}

/**
 * Explain the result of freeing `name`: the bytes freed, what else still
 * holds the object, and why the process's resident memory may not drop.
 */
export function describeFree(
  name: string,
  reply: {
    freed_bytes: number | null;
    still_held_by: readonly string[];
    cleared?: readonly string[];
    rss_before?: number | null;
    rss_after?: number | null;
  }
): IFreeDescription {
  const freed = reply.freed_bytes ?? 0;
  const cleared = reply.cleared?.length
    ? `; also cleared ${reply.cleared.join(', ')}`
    : '';
  if (reply.still_held_by.length > 0) {
    return {
      text: `Deleted ${name}${cleared}, but nothing was freed yet: the object is still held by ${reply.still_held_by.join(', ')}.`,
      offerRelease: false
    };
  }
  const parts = [`Freed ${formatBytes(freed)} (del ${name}${cleared}).`];
  const before = reply.rss_before;
  const after = reply.rss_after;
  let offerRelease = false;
  if (typeof before === 'number' && typeof after === 'number') {
    const dropped = before - after;
    const rss = `RSS ${formatBytes(before)} → ${formatBytes(after)}`;
    if (freed > 0 && dropped < freed / 2) {
      offerRelease = true;
      parts.push(
        `The process's resident memory did not drop as much (${rss}): the memory allocator keeps freed pages for reuse by Python. Release to OS returns them to the system.`
      );
    } else {
      parts.push(`${rss}.`);
    }
  }
  return { text: parts.join(' '), offerRelease };
}

/** The result payload of any kernel-wide action. */
type AnyActionResult =
  CollectResult | ClearResult | CloseFiguresResult | ReleaseResult;

/**
 * What a kernel-wide action did, in one sentence with the resident memory
 * before and after when the helper measured it.
 */
export function describeAction(
  action:
    | 'collect'
    | 'clear_output_cache'
    | 'clear_last_error'
    | 'close_figures'
    | 'release_to_os',
  result: AnyActionResult
): string {
  const rss =
    'rss_before' in result
      ? describeRss(result.rss_before, result.rss_after)
      : null;
  const withRss = (text: string) => (rss ? `${text} ${rss}.` : text);
  const r = result as Partial<
    CollectResult & ClearResult & CloseFiguresResult & ReleaseResult
  >;
  if (r.error) {
    return withRss(`Nothing done: ${r.error}.`);
  }
  switch (action) {
    case 'collect':
      return withRss(
        `Collected ${r.collected ?? 0} objects` +
          (r.uncollectable ? ` (${r.uncollectable} uncollectable).` : '.')
      );
    case 'clear_output_cache':
      return withRss(
        `Cleared the output cache (${Number(r.cleared ?? 0)} results).`
      );
    case 'clear_last_error':
      return withRss(
        r.cleared ? 'Cleared the last error.' : 'No error was kept.'
      );
    case 'close_figures':
      return `Closed ${r.closed ?? 0} figures.`;
    case 'release_to_os':
      return withRss(
        `Released ${formatBytes(r.released_bytes ?? 0)} to the OS.`
      );
  }
}

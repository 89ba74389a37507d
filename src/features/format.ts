/** Human-readable formatting shared by the panel sections and status bar. */

import { formatBytes, formatDelta } from '../common/bytes';
import type {
  ClearResult,
  CloseFiguresResult,
  CollectResult,
  ReleaseResult
} from '../kernel/protocol.generated';
import { trans } from '../common/i18n';

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
  return trans().__(
    'RSS %1 → %2 (%3)',
    formatBytes(before),
    formatBytes(after),
    formatDelta(after - before)
  );
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
    ? trans().__('; also cleared %1', reply.cleared.join(', '))
    : '';
  if (reply.still_held_by.length > 0) {
    return {
      text: trans().__(
        'Deleted %1%2, but nothing was freed yet: the object is still held by %3.',
        name,
        cleared,
        reply.still_held_by.join(', ')
      ),
      offerRelease: false
    };
  }
  const parts = [
    trans().__('Freed %1 (del %2%3).', formatBytes(freed), name, cleared)
  ];
  const before = reply.rss_before;
  const after = reply.rss_after;
  let offerRelease = false;
  if (typeof before === 'number' && typeof after === 'number') {
    const dropped = before - after;
    const rss = trans().__(
      'RSS %1 → %2',
      formatBytes(before),
      formatBytes(after)
    );
    if (freed > 0 && dropped < freed / 2) {
      offerRelease = true;
      parts.push(
        trans().__(
          "The process's resident memory did not drop as much (%1): the memory allocator keeps freed pages for reuse by Python. Release to OS returns them to the system.",
          rss
        )
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
    return withRss(trans().__('Nothing done: %1.', r.error));
  }
  switch (action) {
    case 'collect':
      return withRss(
        r.uncollectable
          ? trans().__(
              'Collected %1 objects (%2 uncollectable).',
              r.collected ?? 0,
              r.uncollectable
            )
          : trans().__('Collected %1 objects.', r.collected ?? 0)
      );
    case 'clear_output_cache':
      return withRss(
        trans().__(
          'Cleared the output cache (%1 results).',
          Number(r.cleared ?? 0)
        )
      );
    case 'clear_last_error':
      return withRss(
        r.cleared
          ? trans().__('Cleared the last error.')
          : trans().__('No error was kept.')
      );
    case 'close_figures':
      return trans().__('Closed %1 figures.', r.closed ?? 0);
    case 'release_to_os':
      return withRss(
        trans().__('Released %1 to the OS.', formatBytes(r.released_bytes ?? 0))
      );
  }
}

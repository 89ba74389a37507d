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

/**
 * Memory the allocators keep after frees is worth a Release to OS from
 * this size on (below it, the button would give back next to nothing).
 */
export const ALLOCATOR_WORTH_BYTES = 8 * 2 ** 20;

/**
 * `150.0 MiB stays with the allocator — Release to OS`, when the
 * explanation's allocator part is worth releasing; null otherwise.
 */
export function allocatorNote(allocatorBytes: number | null): string | null {
  return allocatorBytes !== null && allocatorBytes >= ALLOCATOR_WORTH_BYTES
    ? trans().__(
        '%1 stays with the allocator — Release to OS',
        formatBytes(allocatorBytes)
      )
    : null;
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
 *
 * @param allocatorBytes - the allocator part of the memory explanation
 *   after the free (protocol 1.2), null when the helper does not explain:
 *   then the drop of resident memory tells whether to offer Release to OS.
 */
export function describeFree(
  name: string,
  reply: {
    freed_bytes: number | null;
    still_held_by: readonly string[];
    cleared?: readonly string[];
    rss_before?: number | null;
    rss_after?: number | null;
  },
  allocatorBytes: number | null = null
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
  const before = reply.rss_before;
  const after = reply.rss_after;
  const rss =
    typeof before === 'number' && typeof after === 'number'
      ? trans().__('RSS %1 → %2', formatBytes(before), formatBytes(after))
      : null;
  const note = freed > 0 ? allocatorNote(allocatorBytes) : null;
  if (allocatorBytes !== null) {
    // The explanation says what stays with the allocator.
    const text = note
      ? trans().__(
          'Freed %1 of objects (del %2%3); %4.',
          formatBytes(freed),
          name,
          cleared,
          note
        )
      : trans().__('Freed %1 (del %2%3).', formatBytes(freed), name, cleared);
    return {
      text: rss ? `${text} ${rss}.` : text,
      offerRelease: note !== null
    };
  }
  const parts = [
    trans().__('Freed %1 (del %2%3).', formatBytes(freed), name, cleared)
  ];
  let offerRelease = false;
  if (typeof before === 'number' && typeof after === 'number') {
    const dropped = before - after;
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
 *
 * @param allocatorBytes - the allocator part of the memory explanation
 *   after the action (protocol 1.2): an action that freed objects says how
 *   much of the memory stays with the allocator (`allocatorNote`).
 */
export function describeAction(
  action:
    | 'collect'
    | 'clear_output_cache'
    | 'clear_last_error'
    | 'close_figures'
    | 'release_to_os',
  result: AnyActionResult,
  allocatorBytes: number | null = null
): string {
  const rss =
    'rss_before' in result
      ? describeRss(result.rss_before, result.rss_after)
      : null;
  const note =
    action === 'release_to_os' ? null : allocatorNote(allocatorBytes);
  const withRss = (text: string) => {
    const said = note ? `${text.replace(/\.$/, '')}; ${note}.` : text;
    return rss ? `${said} ${rss}.` : said;
  };
  const r = result as Partial<
    CollectResult & ClearResult & CloseFiguresResult & ReleaseResult
  >;
  if (r.error) {
    return withRss(trans().__('Nothing done: %1.', r.error));
  }
  switch (action) {
    case 'collect': {
      const collected = r.uncollectable
        ? trans().__(
            'Collected %1 objects (%2 uncollectable)',
            r.collected ?? 0,
            r.uncollectable
          )
        : trans().__('Collected %1 objects', r.collected ?? 0);
      return withRss(
        r.freed_bytes
          ? trans().__(
              '%1: freed %2 of objects.',
              collected,
              formatBytes(r.freed_bytes)
            )
          : `${collected}.`
      );
    }
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
      return withRss(trans().__('Closed %1 figures.', r.closed ?? 0));
    case 'release_to_os':
      return withRss(
        trans().__('Released %1 to the OS.', formatBytes(r.released_bytes ?? 0))
      );
  }
}

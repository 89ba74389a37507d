/** Human-readable formatting shared by the panel sections and status bar. */

import { formatBytes, formatDelta } from '../common/bytes';

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

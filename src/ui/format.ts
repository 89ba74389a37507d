/** Human-readable formatting shared by the panel sections and status bar. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/**
 * Format a byte count in binary units, e.g. `1.5 GB`.
 *
 * @param bytes - the count; null or undefined gives `—`.
 * @param estimated - prefix `≈` when the size is an estimate.
 */
export function formatBytes(
  bytes: number | null | undefined,
  estimated = false
): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) {
    return '—';
  }
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${estimated ? '≈' : ''}${sign}${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Format a signed byte delta, e.g. `+12.0 MB`. */
export function formatDelta(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) {
    return '—';
  }
  return bytes >= 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

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

/** `RSS 1.2 GB → 1.0 GB (-200 MB)`, or null when either value is unknown. */
export function describeRss(
  before: number | null | undefined,
  after: number | null | undefined
): string | null {
  if (typeof before !== 'number' || typeof after !== 'number') {
    return null;
  }
  return `RSS ${formatBytes(before)} → ${formatBytes(after)} (${formatDelta(after - before)})`;
}

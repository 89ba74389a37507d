/**
 * The one human-size formatter of memlens (panel, status bar, diagnostics,
 * CLI). IEC units with one decimal — `512 B`, `1.5 KiB`, `812.3 MiB` — the
 * same text the kernel helper writes in its messages.
 *
 * Pure TypeScript with no imports, so the analyzer (node and browser) and the
 * UI share it.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * Format a byte count, e.g. `1.5 GiB`.
 *
 * @param bytes - the count; null, undefined or not finite gives `—`.
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
  // 1023.96 KiB would print as "1024.0 KiB": carry into the next unit.
  if (unit > 0 && unit < UNITS.length - 1 && Number(value.toFixed(1)) >= 1024) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? value.toFixed(0) : value.toFixed(1);
  return `${estimated ? '≈' : ''}${sign}${text} ${UNITS[unit]}`;
}

/** Format a signed byte delta, e.g. `+12.0 MiB`, `-3.0 KiB`, `+0 B`. */
export function formatDelta(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) {
    return '—';
  }
  return bytes >= 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

/** The default "large" threshold, 50 MiB: the one place the frontend spells it. */
export const DEFAULT_THRESHOLD_BYTES = 50 * 2 ** 20;

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40
};

/**
 * Parse a size as a user writes it: bytes (`1048576`) or a number with a
 * decimal (`KB`, `MB`, `GB`, `TB`: powers of 1000) or binary (`KiB`, `MiB`,
 * `GiB`, `TiB`: powers of 1024) unit, case-insensitive, e.g. `100MB`,
 * `1.5 GiB`. Null when it is not one (or not positive).
 */
export function parseBytes(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? SIZE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    return null;
  }
  const bytes = Math.round(Number(match[1]) * unit);
  return bytes > 0 ? bytes : null;
}

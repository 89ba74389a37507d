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

/** Multipliers of the units `parseBytes` reads (decimal and IEC). */
const PARSE_UNITS: Record<string, number> = {
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
 * Read a size a user wrote: bytes (`1500000000`) or a number with a unit
 * (`1.5 GB`, `512MiB`, `8 gib`). Decimal units are powers of 1000, IEC
 * units powers of 1024.
 *
 * @returns the size in whole bytes, or null when the text is not a size.
 */
export function parseBytes(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) {
    return null;
  }
  const unit = PARSE_UNITS[(match[2] || 'b').toLowerCase()];
  return unit === undefined ? null : Math.round(Number(match[1]) * unit);
}

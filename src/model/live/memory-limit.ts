/**
 * The memory limit a kernel lives under (protocol 1.2: `hello`, every
 * snapshot's `process`, `explain` and `guard` carry it), how full the
 * kernel is, and the guard level of the settings.
 */
import { parseBytes } from '../../common/bytes';
import type { LimitSource } from '../../kernel/protocol';
import type { GuardLevel, IMemoryLimit } from '../../tokens';

/** Usage at or above this fraction of the limit is a warning (LV111). */
export const WARNING_FRACTION = 0.8;

/** Usage at or above this fraction of the limit is an error (LV111). */
export const ERROR_FRACTION = 0.9;

/** How full the kernel is: below 80%, from 80%, from 90% of its limit. */
export type UsageLevel = 'ok' | 'warning' | 'error';

/** The limit a message carries, or null when it has none. */
export function limitOf(
  facts:
    | {
        limit_bytes?: number | null;
        limit_source?: LimitSource | null;
      }
    | null
    | undefined
): IMemoryLimit | null {
  const bytes = facts?.limit_bytes;
  return typeof bytes === 'number' && bytes > 0
    ? { bytes, source: facts?.limit_source ?? null }
    : null;
}

/** How full a kernel using `rss` bytes of `limit` is. */
export function usageLevel(
  rss: number | null,
  limit: IMemoryLimit | null
): UsageLevel {
  if (rss === null || !limit) {
    return 'ok';
  }
  const used = rss / limit.bytes;
  return used >= ERROR_FRACTION
    ? 'error'
    : used >= WARNING_FRACTION
      ? 'warning'
      : 'ok';
}

/**
 * Read the guard level of the settings: a percentage of the limit
 * (`90%`) or a size (`20 GiB`, `20000 MB`, bytes).
 *
 * @returns null when the text is neither (or a percentage outside 1–100).
 */
export function parseGuardLevel(text: string): GuardLevel | null {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (percent) {
    const value = Number(percent[1]);
    return value >= 1 && value <= 100 ? { fraction: value / 100 } : null;
  }
  const bytes = parseBytes(text);
  return bytes !== null && bytes > 0 ? { bytes } : null;
}

/**
 * The resident size at which the guard interrupts, for `level` under a
 * kernel whose limit is `limitBytes`; null when a fraction has no limit.
 */
export function interruptAt(
  level: GuardLevel,
  limitBytes: number | null
): number | null {
  if ('bytes' in level) {
    return level.bytes;
  }
  return limitBytes !== null && limitBytes > 0
    ? Math.round(level.fraction * limitBytes)
    : null;
}

/**
 * User Timing measures of memlens's main-thread work, visible in the
 * browser's performance tools and read by the Galata typing test and the
 * UI benchmark. The browser keeps measures for the page's lifetime, so each
 * name keeps a bounded history.
 */

/** Entries recorded per name since its history was last cleared. */
const recorded = new Map<string, number>();

/**
 * Record a measure `name` from `start` to `end` (now by default). At most
 * `history` entries of the name stay in the timeline (the older ones are
 * cleared together); `PerformanceObserver`s see every one.
 */
export function measure(
  name: string,
  start: number,
  end: number = performance.now(),
  history = 1
): void {
  const count = recorded.get(name) ?? 0;
  if (count >= history) {
    performance.clearMeasures(name);
    recorded.set(name, 1);
  } else {
    recorded.set(name, count + 1);
  }
  performance.measure(name, { start, end });
}

/**
 * What the names in a variable's `held_by` list mean. The helper reports
 * holders as text: another variable (`b`), IPython's output cache (`Out[3]`,
 * `_`, `_3`) or a description (`the last exception`).
 */

/** Holders that are IPython's output cache, not user names. */
const OUTPUT_CACHE = /^(Out\[\d+\]|_{1,3}|_\d+)$/;

/** True when `holder` is an output-cache reference (`Out[3]`, `_`, `_3`). */
export function isOutputCacheHolder(holder: string): boolean {
  return OUTPUT_CACHE.test(holder);
}

/** True when `holder` is another user variable (an alias). */
export function isAliasHolder(holder: string): boolean {
  return (
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(holder) && !isOutputCacheHolder(holder)
  );
}

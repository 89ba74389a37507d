/**
 * The kernel facts the static rules use (ML201/ML202 sizes, ML404 dtypes),
 * taken from a helper snapshot. The one path from "live facts" to sharpened
 * findings: the editor (model/notebook) and `memlens lint --execute` both
 * pass what this returns as `IAnalyzeOptions.live`.
 */
import type { ILiveFacts } from '../types';

/**
 * What this module reads of a snapshot (the comm's `snapshot` payload,
 * CONTRACTS §2): a structural subset, so the analyzer needs no kernel types.
 */
export interface ISnapshotFacts {
  variables: readonly { name: string; size_bytes?: number | null }[];
  findings?: readonly {
    rule: string;
    variable?: string | null;
    details?: unknown;
  }[];
}

/** Sizes of the sized variables and LV103's dtype suggestions by frame. */
export function liveFactsOf(
  snapshot: ISnapshotFacts | null
): ILiveFacts | null {
  if (!snapshot) {
    return null;
  }
  const sizes = new Map<string, number>();
  for (const variable of snapshot.variables) {
    if (typeof variable.size_bytes === 'number') {
      sizes.set(variable.name, variable.size_bytes);
    }
  }
  const dtypes = new Map<string, Record<string, string>>();
  for (const finding of snapshot.findings ?? []) {
    const columns = (finding.details as { columns?: unknown } | undefined)
      ?.columns;
    if (
      finding.rule !== 'LV103' ||
      !finding.variable ||
      !Array.isArray(columns)
    ) {
      continue;
    }
    const mapping: Record<string, string> = {};
    for (const column of columns) {
      const { column: name, dtype } = column as {
        column?: unknown;
        dtype?: unknown;
      };
      if (typeof name === 'string' && typeof dtype === 'string') {
        mapping[name] = dtype;
      }
    }
    if (Object.keys(mapping).length > 0) {
      dtypes.set(finding.variable, mapping);
    }
  }
  return { sizes, dtypes };
}

/** A key that changes exactly when the facts change (to avoid re-analysis). */
export function factsKey(facts: ILiveFacts | null): string {
  if (!facts) {
    return '';
  }
  return JSON.stringify([
    [...facts.sizes].sort(([a], [b]) => a.localeCompare(b)),
    [...(facts.dtypes ?? [])].sort(([a], [b]) => a.localeCompare(b))
  ]);
}

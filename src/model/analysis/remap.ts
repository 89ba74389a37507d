import { compareFindings } from '../../analyzer/engine/order';
import type { IFinding } from '../../analyzer/types';

/**
 * Findings computed on one cell order, moved to the current order: the
 * analysis runs in a worker, and cells may be inserted, moved or deleted
 * before its answer arrives. `analyzed` and `current` are cell ids in
 * notebook order; a finding (or a fix) that names a deleted cell is
 * dropped. Returns `findings` itself when the order did not change.
 */
export function remapFindings(
  findings: IFinding[],
  analyzed: readonly string[],
  current: readonly string[]
): IFinding[] {
  if (
    analyzed.length === current.length &&
    analyzed.every((id, index) => id === current[index])
  ) {
    return findings;
  }
  const now = new Map<string, number>();
  current.forEach((id, index) => {
    if (!now.has(id)) {
      now.set(id, index);
    }
  });
  const move = (cell: number): number => now.get(analyzed[cell]) ?? -1;
  const moved: IFinding[] = [];
  for (const finding of findings) {
    const cell = move(finding.cell);
    const edits = finding.fix?.edits.map(edit => ({
      ...edit,
      cell: move(edit.cell)
    }));
    if (cell < 0 || edits?.some(edit => edit.cell < 0)) {
      continue;
    }
    moved.push({
      ...finding,
      cell,
      fix: finding.fix && edits ? { ...finding.fix, edits } : finding.fix
    });
  }
  return moved.sort(compareFindings);
}

/** Cross-cell dataflow: per-cell defs and refs, in notebook order. */
import type { ICellDataflow, INotebookDataflow } from '../types';

export { cellDataflow } from './cell';

/** Combine per-cell dataflow (already in notebook order). */
export function notebookDataflow(
  cells: readonly ICellDataflow[]
): INotebookDataflow {
  const functionReads = new Set<string>();
  for (const cell of cells) {
    for (const ref of cell.refs) {
      if (ref.inFunction !== null) {
        functionReads.add(ref.name);
      }
    }
  }
  return { cells, functionReads };
}

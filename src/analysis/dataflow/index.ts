/** Cross-cell dataflow: per-cell defs and refs, in notebook order. */
import type { ICellDataflow, INotebookDataflow, IReference } from '../types';

export { cellDataflow } from './cell';

/** Combine per-cell dataflow (already in notebook order). */
export function notebookDataflow(
  cells: readonly ICellDataflow[]
): INotebookDataflow {
  const functionReads = new Set<string>();
  for (const cell of cells) {
    for (const name of functionReadsOf(cell.refs)) {
      functionReads.add(name);
    }
  }
  return { cells, functionReads };
}

/** Names read inside function bodies, once per cell's refs. */
function functionReadsOf(refs: readonly IReference[]): string[] {
  let names = cache.get(refs);
  if (!names) {
    names = refs.filter(r => r.inFunction !== null).map(r => r.name);
    cache.set(refs, names);
  }
  return names;
}

const cache = new WeakMap<readonly IReference[], string[]>();

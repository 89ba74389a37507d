/** Cross-cell dataflow: per-cell defs and refs, in notebook order. */
import type {
  ICellDataflow,
  INotebookDataflow,
  IParsedCell,
  IReference
} from '../../types';

export { cellDataflow } from './cell';

/**
 * Combine per-cell dataflow (already in notebook order). `previous` is the
 * same notebook's dataflow before this edit: notebook-wide passes (the
 * name index, the largeness replay) update their result for it instead of
 * starting over.
 */
export function notebookDataflow(
  cells: readonly ICellDataflow[],
  previous: INotebookDataflow | null = null,
  fileSize?: (path: string) => number | null
): INotebookDataflow {
  const functionReads = new Set<string>();
  for (const cell of cells) {
    for (const name of functionReadsOf(cell.refs)) {
      functionReads.add(name);
    }
  }
  const dataflow: INotebookDataflow = { cells, functionReads, fileSize };
  if (previous) {
    // one step back only: older dataflows must not be kept alive
    previousOf.delete(previous);
    previousOf.set(dataflow, previous);
  }
  return dataflow;
}

const previousOf = new WeakMap<INotebookDataflow, INotebookDataflow>();

/** The dataflow `dataflow` was built after (see `notebookDataflow`), if any. */
export function previousDataflow(
  dataflow: INotebookDataflow
): INotebookDataflow | null {
  return previousOf.get(dataflow) ?? null;
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

/**
 * Binary search of a list in notebook order for the item whose notebook
 * index (`indexOf`) is `index`: its position, or -1.
 */
export function positionByIndex<T>(
  list: readonly T[],
  index: number,
  indexOf: (item: T) => number
): number {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const at = indexOf(list[middle]);
    if (at === index) {
      return middle;
    }
    if (at < index) {
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return -1;
}

/**
 * The parsed cell with notebook index `index`, or undefined (binary search:
 * notebook rules look cells up on every run, a map of them would be built
 * on every run too).
 */
export function cellByIndex(
  cells: readonly IParsedCell[],
  index: number
): IParsedCell | undefined {
  const at = positionByIndex(cells, index, indexOfCell);
  return at >= 0 ? cells[at] : undefined;
}

const indexOfCell = (cell: IParsedCell): number => cell.index;

const cellOfFlow = (flow: ICellDataflow): number => flow.cell;

/** The position in `dataflow.cells` of notebook cell `cell`, or -1. */
export function positionOfCell(
  dataflow: INotebookDataflow,
  cell: number
): number {
  return positionByIndex(dataflow.cells, cell, cellOfFlow);
}

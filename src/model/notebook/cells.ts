import type { ICellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';

/** The index of the cell with id `cellId`, or -1. */
export function cellIndexOf(panel: NotebookPanel, cellId: string): number {
  const cells = panel.context.model.cells;
  for (let index = 0; index < cells.length; index++) {
    if (cells.get(index).id === cellId) {
      return index;
    }
  }
  return -1;
}

/** The model of the cell with id `cellId`, or null. */
export function cellModelOf(
  panel: NotebookPanel,
  cellId: string
): ICellModel | null {
  const index = cellIndexOf(panel, cellId);
  return index < 0 ? null : panel.context.model.cells.get(index);
}

/** The current source of the cell with id `cellId`, or null. */
export function cellSourceOf(
  panel: NotebookPanel,
  cellId: string
): string | null {
  const index = cellIndexOf(panel, cellId);
  return index < 0
    ? null
    : panel.context.model.cells.get(index).sharedModel.getSource();
}

/** The little of a notebook panel `cellIds` reads. */
export interface ICellsPanel {
  context: {
    model: { cells: { length: number; get(index: number): { id: string } } };
  };
}

/** The ids of every cell of the notebook (added to `into` when given). */
export function cellIds(
  panel: ICellsPanel,
  into: Set<string> = new Set()
): Set<string> {
  const cells = panel.context.model.cells;
  for (let index = 0; index < cells.length; index++) {
    into.add(cells.get(index).id);
  }
  return into;
}

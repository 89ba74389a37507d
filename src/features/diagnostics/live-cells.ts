import { cellIds, ICellsPanel } from '../../model/notebook/cells';
import type { DiagnosticsHub } from './hub';

/** The little of a notebook the hub's bookkeeping needs: its cell ids. */
export interface ICellsOwner {
  panel: ICellsPanel;
}

/** What the hub's bookkeeping needs of the memlens tracker (tokens.ts). */
export interface INotebooksOwner<T extends ICellsOwner = ICellsOwner> {
  forEach(fn: (notebook: T) => void): void;
}

/** The ids of every cell of every notebook memlens follows. */
export function liveCellIds(notebooks: INotebooksOwner): Set<string> {
  const ids = new Set<string>();
  notebooks.forEach(notebook => cellIds(notebook.panel, ids));
  return ids;
}

/**
 * Drop the hub's findings of cells that no open notebook has any more
 * (deleted cells, closed notebooks). The hub serves every notebook, so
 * the cells to keep are those of all of them, not just the one analyzed.
 */
export function retainLiveCells(
  hub: Pick<DiagnosticsHub, 'retain'>,
  notebooks: INotebooksOwner
): void {
  hub.retain(liveCellIds(notebooks));
}

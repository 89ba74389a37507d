import type { NotebookPanel } from '@jupyterlab/notebook';

/**
 * Insert a code cell with `source` below the active cell and select it.
 * It goes through the shared model, so Ctrl+Z in the notebook removes it.
 */
export function insertCellBelow(panel: NotebookPanel, source: string): void {
  const notebook = panel.content;
  const shared = notebook.model?.sharedModel;
  if (!shared) {
    return;
  }
  const index = Math.max(notebook.activeCellIndex, 0) + 1;
  shared.insertCell(index, { cell_type: 'code', source });
  notebook.activeCellIndex = index;
}

/** Where to put the cursor when jumping to a cell (0-based). */
export interface ICellPosition {
  line: number;
  column: number;
}

/**
 * Make cell `index` active, scroll to it and, with a `position`, put the
 * cursor there and focus its editor. Unknown indexes are ignored.
 */
export function jumpToCell(
  panel: NotebookPanel,
  index: number,
  position?: ICellPosition
): void {
  const notebook = panel.content;
  const cell = notebook.widgets[index];
  if (!cell) {
    return;
  }
  notebook.activeCellIndex = index;
  void notebook.scrollToItem(index).then(() => {
    const editor = cell.editor;
    if (position && editor) {
      editor.setCursorPosition({
        line: position.line,
        column: position.column
      });
      editor.focus();
    }
  });
}

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

/** The ids of every cell of the notebook. */
export function cellIds(panel: NotebookPanel): Set<string> {
  const ids = new Set<string>();
  const cells = panel.context.model.cells;
  for (let index = 0; index < cells.length; index++) {
    ids.add(cells.get(index).id);
  }
  return ids;
}

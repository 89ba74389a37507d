/**
 * Notebook actions of memlens: insert a fix cell, jump to a cell (and line).
 */
import { Notification } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { trans } from '../../common/i18n';

/**
 * Insert a code cell with `source` below the active cell and select it.
 * It goes through the shared model, so Ctrl+Z in the notebook removes it.
 * memlens never runs it: the user reads it and runs it.
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
  Notification.info(
    trans().__(
      'memlens: inserted a fix cell below (cell %1); run it to apply the fix.',
      index + 1
    ),
    { autoClose: 5000 }
  );
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

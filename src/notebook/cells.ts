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

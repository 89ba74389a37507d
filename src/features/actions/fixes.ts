/**
 * The one-click fixes of findings: a text edit of the notebook (undoable),
 * or the finding's kernel action (`del name`) through the kernel actions.
 */
import { Notification } from '@jupyterlab/apputils';
import type { ICellFinding, ICellTextEdit } from '../../analyzer/types';
import { cellModelOf } from '../../model/notebook/cells';
import type { ICellEditors, INotebookMemlens } from '../../tokens';
import { offsetOf } from '../editor/text';
import { freeVariable } from './kernel';
import { trans } from '../../common/i18n';

/**
 * Apply a finding's text fix. Edits of a cell shown in an editor go through
 * that editor as one transaction (one Ctrl+Z undoes it); other cells are
 * edited through their shared model. Nothing is applied when a cell changed
 * since it was analyzed.
 */
export function applyFix(
  memlens: INotebookMemlens,
  views: ICellEditors,
  finding: ICellFinding
): boolean {
  const byCell = new Map<string, ICellTextEdit[]>();
  for (const edit of finding.fix?.edits ?? []) {
    byCell.set(edit.cellId, [...(byCell.get(edit.cellId) ?? []), edit]);
  }
  const targets = [...byCell.keys()].map(cellId =>
    cellModelOf(memlens.panel, cellId)
  );
  const stale = targets.some(
    cell =>
      !cell ||
      memlens.analysis.analyzedSource(cell.id) !== cell.sharedModel.getSource()
  );
  if (stale) {
    Notification.warning(
      trans().__(
        'memlens: the cell changed since it was analyzed; try the fix again in a moment.'
      ),
      {
        autoClose: 4000
      }
    );
    void memlens.analysis.analyze();
    return false;
  }
  [...byCell.values()].forEach((edits, i) => {
    const cell = targets[i]!;
    const view = views.viewOf(cell.id);
    if (view) {
      const doc = view.state.doc;
      view.dispatch({
        changes: edits.map(edit => ({
          from: offsetOf(doc, edit.line, edit.column) ?? doc.length,
          to: offsetOf(doc, edit.endLine, edit.endColumn) ?? doc.length,
          insert: edit.text
        })),
        userEvent: 'input.memlens-fix'
      });
      return;
    }
    const source = cell.sharedModel.getSource();
    const lines = source.split('\n');
    const offset = (line: number, column: number) =>
      lines.slice(0, line).reduce((total, text) => total + text.length + 1, 0) +
      column;
    const sorted = [...edits].sort(
      (a, b) => b.line - a.line || b.column - a.column
    );
    cell.sharedModel.transact(() => {
      for (const edit of sorted) {
        cell.sharedModel.updateSource(
          offset(edit.line, edit.column),
          offset(edit.endLine, edit.endColumn),
          edit.text
        );
      }
    });
  });
  return true;
}

/** Run a finding's kernel action (`del name`), with the usual confirmation. */
export async function runFindingAction(
  memlens: INotebookMemlens,
  finding: Pick<ICellFinding, 'action'>
): Promise<void> {
  if (finding.action?.kind === 'delete') {
    await freeVariable(memlens, finding.action.name);
  }
}

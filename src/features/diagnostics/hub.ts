import {
  Diagnostic,
  forEachDiagnostic,
  setDiagnostics
} from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import type { IFinding } from '../../analyzer/types';
import { CellChannel } from '../editor/cell-channel';
import type { ICellEditors } from '../../tokens';
import { IFindingActions, toDiagnostics } from './to-diagnostics';

interface ICellFindings {
  /** The source the findings were computed on. */
  source: string;
  findings: readonly IFinding[];
  actions: IFindingActions;
}

/**
 * Connects analysis results to the CodeMirror editors of cells.
 *
 * Editors come and go in `views` (by cell id); analysis results are
 * published per cell id. Results computed on a source that no longer
 * matches the editor are not pushed: CodeMirror keeps mapping the previous
 * diagnostics through the user's edits until the next analysis lands.
 */
export class DiagnosticsHub<V extends ICellEditors = ICellEditors> {
  constructor(readonly views: V) {
    this._channel = new CellChannel<ICellFindings>(views, {
      push: (view, entry) => this._push(view, entry),
      isEmpty: entry => entry.findings.length === 0,
      edited: view => this.edited(view)
    });
  }

  /**
   * The user edited a view: CodeMirror now shows its diagnostics mapped
   * through the edit, with quick fixes computed on the text before it, so
   * the next results are pushed unless they are exactly what it shows.
   */
  edited(view: EditorView): void {
    const pushed = this._pushed.get(view);
    if (pushed && pushed.findings.length > 0) {
      pushed.edited = true;
    }
  }

  /**
   * Publish the findings of one cell, computed on `source`. The analysis
   * keeps a cell's findings array while they do not change: an editor given
   * the same array again is left alone.
   */
  publish(
    cellId: string,
    source: string,
    findings: readonly IFinding[],
    actions: IFindingActions
  ): void {
    this._channel.set(cellId, { source, findings, actions });
  }

  /** Forget all findings of cells not in `keep` (cells deleted or closed). */
  retain(keep: ReadonlySet<string>): void {
    for (const cellId of this._channel.cellIds()) {
      if (!keep.has(cellId)) {
        this.publish(cellId, '', [], NO_ACTIONS);
      }
    }
  }

  /** An editor view of `cellId`, if one is attached. */
  viewOf(cellId: string): EditorView | null {
    return this.views.viewOf(cellId);
  }

  private _push(view: EditorView, entry: ICellFindings): void {
    const pushed = this._pushed.get(view);
    if (!pushed) {
      // A view that never had diagnostics has none to clear: an empty push
      // to each new editor (it installs the lint extension there) took
      // hundreds of milliseconds in one task.
      if (entry.findings.length === 0) {
        return;
      }
    } else if (pushed.findings === entry.findings && !pushed.edited) {
      // Re-sending identical diagnostics would close an open hover tooltip.
      return;
    }
    if (view.state.doc.toString() !== entry.source) {
      return;
    }
    const diagnostics = toDiagnostics(
      view.state.doc,
      entry.findings,
      entry.actions
    );
    // After an edit elsewhere in the cell, the mapped diagnostics are often
    // the new ones: redrawing them would cost the page a layout pass.
    const same = pushed !== undefined && shows(view, diagnostics);
    this._pushed.set(view, { findings: entry.findings, edited: false });
    if (!same) {
      view.dispatch(setDiagnostics(view.state, diagnostics));
    }
  }

  private _channel: CellChannel<ICellFindings>;
  /** What each view was last given, and whether the user edited it since. */
  private _pushed = new WeakMap<
    EditorView,
    { findings: readonly IFinding[]; edited: boolean }
  >();
}

/** Whether `view` shows exactly `diagnostics` (positions and texts). */
function shows(view: EditorView, diagnostics: readonly Diagnostic[]): boolean {
  const shown: string[] = [];
  forEachDiagnostic(view.state, (d, from, to) =>
    shown.push(`${from}:${to}:${d.severity}:${d.message}`)
  );
  const wanted = diagnostics.map(
    d => `${d.from}:${d.to}:${d.severity}:${d.message}`
  );
  return shown.sort().join('\n') === wanted.sort().join('\n');
}

const NO_ACTIONS: IFindingActions = {
  applyFix: () => undefined,
  runKernelAction: () => undefined
};

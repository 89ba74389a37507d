import { setDiagnostics } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import type { IFinding } from '../../analysis/types';
import type { CellViews } from '../editor/cell-views';
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
export class DiagnosticsHub {
  constructor(readonly views: CellViews) {
    views.attached.connect((_, { cellId, view }) => {
      const current = this._findings.get(cellId);
      if (current) {
        // A view cannot be updated while it is being constructed.
        queueMicrotask(() => this._push(view, current));
      }
    });
    views.edited.connect((_, { view }) => this.edited(view));
  }

  /**
   * The user edited a view: CodeMirror now shows mapped diagnostics, so
   * the next results must be pushed even when they look the same.
   */
  edited(view: EditorView): void {
    this._pushed.delete(view);
  }

  /** Publish the findings of one cell, computed on `source`. */
  publish(
    cellId: string,
    source: string,
    findings: readonly IFinding[],
    actions: IFindingActions
  ): void {
    const entry = { source, findings, actions };
    if (findings.length === 0) {
      this._findings.delete(cellId);
    } else {
      this._findings.set(cellId, entry);
    }
    for (const view of this.views.viewsOf(cellId)) {
      this._push(view, entry);
    }
  }

  /** Forget all findings of cells not in `keep` (cells deleted or closed). */
  retain(keep: ReadonlySet<string>): void {
    for (const cellId of [...this._findings.keys()]) {
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
    if (view.state.doc.toString() !== entry.source) {
      return;
    }
    // Re-sending identical diagnostics would close an open hover tooltip.
    const key = JSON.stringify(entry.findings);
    if (this._pushed.get(view) === key) {
      return;
    }
    this._pushed.set(view, key);
    const diagnostics = toDiagnostics(
      view.state.doc,
      entry.findings,
      entry.actions
    );
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }

  private _findings = new Map<string, ICellFindings>();
  private _pushed = new WeakMap<EditorView, string>();
}

const NO_ACTIONS: IFindingActions = {
  applyFix: () => undefined,
  runKernelAction: () => undefined
};

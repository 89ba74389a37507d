import { setDiagnostics } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import type { IFinding } from '../../analysis/types';
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
 * Editors register themselves by cell id when they are created (the editor
 * extension) and unregister when destroyed; analysis results are published
 * per cell id. Results computed on a source that no longer matches the
 * editor are not pushed: CodeMirror keeps mapping the previous diagnostics
 * through the user's edits until the next analysis lands.
 */
export class DiagnosticsHub {
  /** Attach an editor view showing the cell `cellId`. */
  attach(cellId: string, view: EditorView): void {
    let views = this._views.get(cellId);
    if (!views) {
      views = new Set();
      this._views.set(cellId, views);
    }
    views.add(view);
    const current = this._findings.get(cellId);
    if (current) {
      // A view cannot be updated while it is being constructed.
      queueMicrotask(() => this._push(view, current));
    }
  }

  /** Detach a view (the editor was destroyed). */
  detach(cellId: string, view: EditorView): void {
    const views = this._views.get(cellId);
    views?.delete(view);
    if (views?.size === 0) {
      this._views.delete(cellId);
    }
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
    for (const view of this._views.get(cellId) ?? []) {
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
    const views = this._views.get(cellId);
    return views ? (views.values().next().value ?? null) : null;
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

  private _views = new Map<string, Set<EditorView>>();
  private _findings = new Map<string, ICellFindings>();
  private _pushed = new WeakMap<EditorView, string>();
}

const NO_ACTIONS: IFindingActions = {
  applyFix: () => undefined,
  runKernelAction: () => undefined
};

import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import type { IFinding } from '../analysis/types';
import { applyFix, runFindingAction } from '../actions/fixes';
import type { INotebookMemlens } from '../tokens';
import { IMemlensTracker } from '../tokens';
import { CellViews } from '../ui/editor/cell-views';
import { cellViewsExtension } from '../ui/editor/cell-views-extension';
import { DiagnosticsHub } from '../ui/diagnostics/hub';
import { retainLiveCells } from '../ui/diagnostics/live-cells';

/** Cell-level warnings with quick fixes, through JupyterLab's CodeMirror. */
export const diagnosticsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-memlens:diagnostics',
  description: 'Shows memlens findings as lint diagnostics in notebook cells.',
  autoStart: true,
  requires: [IMemlensTracker, IEditorExtensionRegistry],
  activate: (
    app: JupyterFrontEnd,
    tracker: IMemlensTracker,
    registry: IEditorExtensionRegistry
  ) => {
    const views = new CellViews();
    registry.addExtension(
      cellViewsExtension('jupyterlab-memlens:diagnostics', views)
    );
    const hub = new DiagnosticsHub(views);
    const publish = (memlens: INotebookMemlens) => {
      const actions = {
        applyFix: (finding: IFinding) => void applyFix(memlens, views, finding),
        runKernelAction: (finding: IFinding) =>
          void runFindingAction(memlens, finding)
      };
      const byCell = new Map<number, IFinding[]>();
      const shown = tracker.options.editorDiagnostics
        ? memlens.analysis.findings
        : [];
      for (const finding of shown) {
        byCell.set(finding.cell, [
          ...(byCell.get(finding.cell) ?? []),
          finding
        ]);
      }
      const cells = memlens.panel.context.model.cells;
      for (let index = 0; index < cells.length; index++) {
        const cell = cells.get(index);
        const source = memlens.analysis.analyzedSource(cell.id);
        if (source !== undefined) {
          hub.publish(cell.id, source, byCell.get(index) ?? [], actions);
        }
      }
    };
    // Each analysis follows an edit, deleting cells included; closing a
    // notebook removes it from the tracker before its `disposed` reaches us.
    const retain = () => retainLiveCells(hub, tracker);
    const follow = (memlens: INotebookMemlens) => {
      memlens.analysis.changed.connect(() => {
        publish(memlens);
        retain();
      });
      memlens.panel.disposed.connect(retain);
    };
    tracker.forEach(follow);
    tracker.added.connect((_, memlens) => follow(memlens));
    tracker.optionsChanged.connect(() => tracker.forEach(publish));
  }
};

import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { linter } from '@codemirror/lint';
import { Prec } from '@codemirror/state';
import { IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import type { IFinding } from '../../analyzer/types';
import { applyFix, runFindingAction } from '../actions/fixes';
import type { INotebookMemlens } from '../../tokens';
import { IMemlensTracker } from '../../tokens';
import { CellViews } from '../editor/cell-views';
import { cellViewsExtension } from '../editor/cell-views-extension';
import { DiagnosticsHub } from './hub';
import { retainLiveCells } from './live-cells';

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
    // The lint machinery is part of every code cell editor from the start:
    // installed by the first diagnostics instead, it reconfigured the editor
    // and mounted its styles then, a style pass over the whole page (over
    // 100 ms in a notebook of a thousand cells) in the middle of typing.
    // (Lowest precedence, where `setDiagnostics` would append it: a mark
    // stays one element around the highlighted tokens, as the UI tests and
    // users' selectors know it; at the default precedence it is split into
    // one element per token.)
    registry.addExtension(
      cellViewsExtension('jupyterlab-memlens:diagnostics', views, [
        Prec.lowest(linter(null))
      ])
    );
    const hub = new DiagnosticsHub(views);
    // What each notebook's editors were last given: after an analysis that
    // changed no finding (most runs while typing), only the cells whose
    // text changed are published again.
    const published = new WeakMap<
      INotebookMemlens,
      {
        findings: readonly IFinding[];
        shown: boolean;
        sources: Map<string, string>;
      }
    >();
    const publish = (memlens: INotebookMemlens) => {
      const actions = {
        applyFix: (finding: IFinding) => void applyFix(memlens, views, finding),
        runKernelAction: (finding: IFinding) =>
          void runFindingAction(memlens, finding)
      };
      const shown = tracker.options.editorDiagnostics;
      const findings = memlens.analysis.findings;
      const last = published.get(memlens);
      const changed = last?.findings !== findings || last.shown !== shown;
      const byCell = new Map<number, IFinding[]>();
      for (const finding of shown ? findings : []) {
        const list = byCell.get(finding.cell) ?? [];
        list.push(finding);
        byCell.set(finding.cell, list);
      }
      const sources = new Map<string, string>();
      const cells = memlens.panel.context.model.cells;
      for (let index = 0; index < cells.length; index++) {
        const cell = cells.get(index);
        const source = memlens.analysis.analyzedSource(cell.id);
        if (source === undefined) {
          continue;
        }
        sources.set(cell.id, source);
        if (changed || last.sources.get(cell.id) !== source) {
          hub.publish(cell.id, source, byCell.get(index) ?? [], actions);
        }
      }
      published.set(memlens, { findings, shown, sources });
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

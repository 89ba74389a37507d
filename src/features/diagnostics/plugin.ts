import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { linter } from '@codemirror/lint';
import { Prec } from '@codemirror/state';
import { IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import type { ICellFinding, IFinding } from '../../analyzer/types';
import { applyFix, runFindingAction } from '../actions/fixes';
import type { INotebookMemlens } from '../../tokens';
import { ICellEditors, IMemlensTracker } from '../../tokens';
import { codeCellExtension } from '../editor/cell-views-extension';
import { DiagnosticsHub } from './hub';
import { retainLiveCells } from './live-cells';

/** What a cell's editors were last given. */
interface IPublished {
  findings: readonly IFinding[];
  source: string;
}

const NONE: readonly IFinding[] = [];

/** Cell-level warnings with quick fixes, through JupyterLab's CodeMirror. */
export const diagnosticsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-memlens:diagnostics',
  description: 'Shows memlens findings as lint diagnostics in notebook cells.',
  autoStart: true,
  requires: [IMemlensTracker, IEditorExtensionRegistry, ICellEditors],
  activate: (
    app: JupyterFrontEnd,
    tracker: IMemlensTracker,
    registry: IEditorExtensionRegistry,
    views: ICellEditors
  ) => {
    // The lint machinery is part of every code cell editor from the start:
    // installed by the first diagnostics instead, it reconfigured the editor
    // and mounted its styles then, a style pass over the whole page (over
    // 100 ms in a notebook of a thousand cells) in the middle of typing.
    // (Lowest precedence, where `setDiagnostics` would append it: a mark
    // stays one element around the highlighted tokens, as the UI tests and
    // users' selectors know it; at the default precedence it is split into
    // one element per token.)
    registry.addExtension(
      codeCellExtension('jupyterlab-memlens:diagnostics', () =>
        Prec.lowest(linter(null))
      )
    );
    const hub = new DiagnosticsHub(views);
    // What each cell's editors were last given: the analysis keeps a
    // cell's findings array while they do not change, so after most runs
    // (typing) only the cells whose text changed are published again.
    const published = new WeakMap<
      INotebookMemlens,
      { shown: boolean; cells: Map<string, IPublished> }
    >();
    const publish = (memlens: INotebookMemlens) => {
      const actions = {
        applyFix: (finding: IFinding) =>
          void applyFix(memlens, views, finding as ICellFinding),
        runKernelAction: (finding: IFinding) =>
          void runFindingAction(memlens, finding)
      };
      const shown = tracker.options.editorDiagnostics;
      const last = published.get(memlens);
      const again = last?.shown !== shown;
      const cells = new Map<string, IPublished>();
      const all = memlens.panel.context.model.cells;
      for (let index = 0; index < all.length; index++) {
        const cellId = all.get(index).id;
        const source = memlens.analysis.analyzedSource(cellId);
        if (source === undefined) {
          continue;
        }
        const findings = shown ? memlens.analysis.findingsOf(cellId) : NONE;
        const before = last?.cells.get(cellId);
        if (
          again ||
          before?.findings !== findings ||
          before.source !== source
        ) {
          hub.publish(cellId, source, findings, actions);
        }
        cells.set(cellId, { findings, source });
      }
      published.set(memlens, { shown, cells });
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

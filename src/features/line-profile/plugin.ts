import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import {
  INotebookTracker,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';
import { memlensIcon } from '../icons';
import type { ProfileMethod } from '../../kernel/protocol';
import type { INotebookMemlens } from '../../tokens';
import { CommandIDs, ICellEditors, IMemlensTracker } from '../../tokens';
import { codeCellExtension } from '../editor/cell-views-extension';
import { lineProfileExtension } from './decorations';
import { LineProfileHub } from './hub';
import { trans } from '../../common/i18n';
import { errorMessage } from '../../common/errors';

/** How long to wait for the profile after the run's reply (ms). */
const PROFILE_GRACE_MS = 3000;

/**
 * Per-line memory profile of a cell: the `memlens:profile-cell` command
 * (cell toolbar, context menu, palette, Alt+Shift+M — see
 * schema/settings/plugin.json) and the marks in the cell editor.
 */
export const profilePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-memlens:profile',
  description:
    'Profiles the memory of each line of a cell and shows it in the editor.',
  autoStart: true,
  requires: [
    IMemlensTracker,
    INotebookTracker,
    IEditorExtensionRegistry,
    ICellEditors
  ],
  activate: (
    app: JupyterFrontEnd,
    tracker: IMemlensTracker,
    notebooks: INotebookTracker,
    registry: IEditorExtensionRegistry,
    views: ICellEditors
  ) => {
    registry.addExtension(
      codeCellExtension('jupyterlab-memlens:line-profile', () =>
        lineProfileExtension()
      )
    );
    const hub = new LineProfileHub(views);
    const follow = (memlens: INotebookMemlens) => {
      memlens.profiles.received.connect((_, entry) =>
        hub.show(
          entry.cellId,
          entry.source,
          entry.profile.lines,
          entry.profile.method
        )
      );
      memlens.profiles.dropped.connect(() =>
        Notification.warning(
          trans().__(
            'memlens: the kernel restarted before the profiled cell ran; nothing was profiled.'
          ),
          { autoClose: 5000 }
        )
      );
    };
    tracker.forEach(follow);
    tracker.added.connect((_, memlens) => follow(memlens));

    const activeCodeCell = () => {
      const panel = notebooks.currentWidget;
      const cell = panel?.content.activeCell;
      return panel && cell?.model.type === 'code' ? { panel, cell } : null;
    };
    const profile = async (method: ProfileMethod) => {
      const target = activeCodeCell();
      const memlens = target && tracker.get(target.panel);
      if (!target || !memlens) {
        return;
      }
      const cellId = target.cell.model.id;
      const source = target.cell.model.sharedModel.getSource();
      if (!source.trim()) {
        // JupyterLab does not send empty cells to the kernel
        Notification.info(
          trans().__('memlens: the cell is empty: nothing to profile.'),
          {
            autoClose: 5000
          }
        );
        return;
      }
      hub.clear(cellId);
      try {
        await memlens.profiles.arm(cellId, source, method);
      } catch (reason) {
        Notification.error(trans().__('memlens: %1', errorMessage(reason)), {
          autoClose: 8000
        });
        return;
      }
      await runActiveCellOnly(target.panel);
      if (!(await profiled(memlens, cellId))) {
        Notification.warning(
          trans().__(
            'memlens: the kernel sent no profile for this run (did it run?). The cell stays armed for its next run.'
          ),
          { autoClose: 8000 }
        );
      }
    };
    app.commands.addCommand(CommandIDs.profileCell, {
      label: trans().__('Profile Cell Memory'),
      caption: () =>
        tracker.options.profileMethod === 'sampled'
          ? trans().__(
              'Run the active cell while sampling its memory (coarse, nearly free; see the profileMethod setting) and show what each line allocated'
            )
          : trans().__(
              'Run the active cell with per-line memory tracing and show what each line allocated'
            ),
      icon: memlensIcon,
      isEnabled: () => activeCodeCell() !== null,
      execute: () => profile(tracker.options.profileMethod)
    });
    app.commands.addCommand(CommandIDs.profileCellSampled, {
      label: trans().__('Profile Cell Memory (Sampled)'),
      caption: trans().__(
        'Run the active cell while sampling its resident memory every few milliseconds: coarse per-line numbers (lines of a few MiB or more) at nearly full speed'
      ),
      isEnabled: () => activeCodeCell() !== null,
      execute: () => profile('sampled')
    });
    app.commands.addCommand(CommandIDs.profileCellExact, {
      label: trans().__('Profile Cell Memory (Exact)'),
      caption: trans().__(
        'Run the active cell with every allocation traced: exact per-line net and peak (slower on cells that build many small objects)'
      ),
      isEnabled: () => activeCodeCell() !== null,
      execute: () => profile('tracemalloc')
    });
  }
};

/** Run the active cell alone (not the rest of a multi-cell selection). */
async function runActiveCellOnly(panel: NotebookPanel): Promise<void> {
  panel.content.deselectAll();
  await NotebookActions.run(panel.content, panel.sessionContext);
}

/** Wait (a little) until `cellId` is no longer armed: its profile came. */
async function profiled(
  memlens: INotebookMemlens,
  cellId: string
): Promise<boolean> {
  const done = () => !memlens.profiles.armed.has(cellId);
  if (done()) {
    return true;
  }
  return new Promise(resolve => {
    const check = () => {
      if (done()) {
        finish(true);
      }
    };
    const finish = (value: boolean) => {
      clearTimeout(timer);
      memlens.profiles.changed.disconnect(check);
      resolve(value);
    };
    const timer = setTimeout(() => finish(done()), PROFILE_GRACE_MS);
    memlens.profiles.changed.connect(check);
  });
}

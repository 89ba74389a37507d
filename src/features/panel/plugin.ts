import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { memlensIcon } from '../icons';
import { CommandIDs, IMemlensTracker } from '../../tokens';
import { MemlensPanel } from './panel';
import { trans } from '../../common/i18n';

/**
 * A shell that can fold its right sidebar away: JupyterLab's `ILabShell` and
 * Jupyter Notebook 7's `INotebookShell` both can, the generic
 * `JupyterFrontEnd.IShell` they share does not say so.
 */
interface IRightCollapsible {
  collapseRight(): void;
}

/** Whether `shell` can fold its right sidebar (both known shells can). */
function canCollapseRight(
  shell: JupyterFrontEnd.IShell
): shell is JupyterFrontEnd.IShell & IRightCollapsible {
  return (
    typeof (shell as Partial<IRightCollapsible>).collapseRight === 'function'
  );
}

/**
 * The side panel and its commands. It needs no JupyterLab-only token: in
 * Jupyter Notebook 7 the panel goes to the notebook page's right sidebar,
 * through the `add(widget, 'right')` both shells have.
 */
export const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-memlens:panel',
  description:
    'The memlens side panel: kernel memory, variables, gc and findings.',
  autoStart: true,
  requires: [IMemlensTracker],
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    tracker: IMemlensTracker,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ) => {
    const panel = new MemlensPanel(tracker.rules);
    panel.model = tracker.current;
    tracker.currentChanged.connect((_, memlens) => (panel.model = memlens));
    app.shell.add(panel, 'right', { rank: 700 });
    restorer?.add(panel, 'memlens-panel');

    const hasNotebook = () => tracker.current !== null;
    // `{toggle: true}` is the View menu's entry (schema/settings/plugin.json):
    // checked while the panel shows, and a second click folds it away.
    const toggles = (args: ReadonlyPartialJSONObject) => args.toggle === true;
    app.commands.addCommand(CommandIDs.openPanel, {
      label: args =>
        toggles(args)
          ? trans().__('memlens panel')
          : trans().__('Open memlens panel'),
      caption: trans().__('Show the memory of the active notebook'),
      // in the menu the check mark stands where the icon would
      icon: args => (toggles(args) ? undefined : memlensIcon),
      isToggled: args => toggles(args) && panel.isVisible,
      execute: args => {
        if (toggles(args) && panel.isVisible && canCollapseRight(app.shell)) {
          app.shell.collapseRight();
        } else {
          app.shell.activateById(panel.id);
        }
      }
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: trans().__('Refresh kernel memory facts'),
      isEnabled: hasNotebook,
      execute: () => tracker.current?.live.refresh()
    });
    app.commands.addCommand(CommandIDs.collectGarbage, {
      label: trans().__('Collect garbage in the kernel'),
      isEnabled: hasNotebook,
      execute: async () => {
        app.shell.activateById(panel.id);
        await panel.gc.collect();
      }
    });
    app.commands.addCommand(CommandIDs.analyzeNotebook, {
      label: trans().__('Analyze notebook memory now'),
      isEnabled: hasNotebook,
      execute: () => tracker.current?.analysis.analyze()
    });
    for (const command of Object.values(CommandIDs)) {
      palette?.addItem({ command, category: 'memlens' });
    }
  }
};

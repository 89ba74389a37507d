import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { memlensIcon } from '../icons';
import { CommandIDs, IMemlensTracker } from '../../tokens';
import { MemlensPanel } from './panel';
import { trans } from '../../common/i18n';

/** The side panel and its commands. */
export const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-memlens:panel',
  description:
    'The memlens side panel: kernel memory, variables, gc and findings.',
  autoStart: true,
  requires: [IMemlensTracker],
  optional: [ILayoutRestorer, ICommandPalette, ILabShell],
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
    app.commands.addCommand(CommandIDs.openPanel, {
      label: trans().__('Open memlens panel'),
      caption: trans().__('Show the memory of the active notebook'),
      icon: memlensIcon,
      execute: () => app.shell.activateById(panel.id)
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

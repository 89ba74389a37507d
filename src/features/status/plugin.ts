import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';
import { CommandIDs, IMemlensTracker } from '../../tokens';
import { MemoryStatus } from './statusbar';

/**
 * Kernel memory in the status bar, where the front end has one (JupyterLab;
 * Jupyter Notebook 7 has none, and memlens works there without it).
 */
export const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-memlens:status',
  description: 'Shows the active kernel memory in the status bar.',
  autoStart: true,
  requires: [IMemlensTracker],
  optional: [IStatusBar],
  activate: (
    app: JupyterFrontEnd,
    tracker: IMemlensTracker,
    statusBar: IStatusBar | null
  ) => {
    if (!statusBar) {
      return;
    }
    const item = new MemoryStatus(
      () => void app.commands.execute(CommandIDs.openPanel)
    );
    item.model = tracker.current;
    tracker.currentChanged.connect((_, memlens) => (item.model = memlens));
    statusBar.registerStatusItem('jupyterlab-memlens:status', {
      item,
      align: 'left',
      rank: 4,
      isActive: () => tracker.current !== null
    });
  }
};

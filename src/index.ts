import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Widget } from '@lumino/widgets';
import { memlensIcon } from './icons';

const PLUGIN_ID = 'jupyterlab-memlens:plugin';

namespace CommandIDs {
  export const openPanel = 'memlens:open-panel';
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'memlens: memory analysis for notebooks.',
  autoStart: true,
  requires: [ISettingRegistry],
  optional: [ILayoutRestorer, ICommandPalette],
  activate: async (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ) => {
    const panel = new Widget();
    panel.id = 'memlens-panel';
    panel.title.icon = memlensIcon;
    panel.title.caption = 'memlens: notebook memory';
    panel.addClass('jp-memlens-panel');
    app.shell.add(panel, 'right', { rank: 700 });
    restorer?.add(panel, 'memlens-panel');
    app.commands.addCommand(CommandIDs.openPanel, {
      label: 'Open memlens panel',
      icon: memlensIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({ command: CommandIDs.openPanel, category: 'memlens' });
    await settingRegistry.load(PLUGIN_ID);
  }
};

export default plugin;

import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { trans } from '../../common/i18n';
import type { GuardData, Postmortem } from '../../kernel/protocol';
import { CommandIDs, IMemlensTracker, INotebookMemlens } from '../../tokens';
import { guardText, NAMED_BRIEFLY, postmortemText } from './text';

/**
 * Notifications of what happened to a kernel's memory while the user may
 * not look at the panel: the guard interrupted a cell, or the kernel died
 * (its post-mortem).
 */
class MemoryAlerts {
  constructor(
    tracker: IMemlensTracker,
    private readonly _openPanel: () => void
  ) {
    tracker.forEach(memlens => this._follow(tracker, memlens));
    tracker.added.connect(this._follow, this);
  }

  private _follow(_: IMemlensTracker, memlens: INotebookMemlens): void {
    // (the guard's signals are cleared when the notebook closes)
    memlens.guard.tripped.connect(
      (__, data: GuardData) =>
        Notification.warning(say(memlens, guardText(data, NAMED_BRIEFLY)), {
          autoClose: false,
          actions: [this._panelAction()]
        }),
      this
    );
    memlens.guard.postmortemFound.connect(
      (__, postmortem: Postmortem) =>
        Notification.error(
          say(memlens, postmortemText(postmortem, NAMED_BRIEFLY)),
          {
            autoClose: false,
            actions: [this._panelAction()]
          }
        ),
      this
    );
  }

  private _panelAction(): Notification.IAction {
    return {
      label: trans().__('Open memlens panel'),
      callback: () => this._openPanel()
    };
  }
}

/**
 * "analysis.ipynb: …": several notebooks may have kernels (the name first:
 * JupyterLab cuts a notification's text after 140 characters).
 */
function say(memlens: INotebookMemlens, text: string): string {
  return trans().__(
    '%1: %2',
    PathExt.basename(memlens.panel.context.localPath),
    text
  );
}

/** Notifications of the memory guard and of a killed kernel's post-mortem. */
export const alertsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-memlens:alerts',
  description:
    'Notifies when the memory guard interrupts a cell and when a kernel died (its post-mortem).',
  autoStart: true,
  requires: [IMemlensTracker],
  activate: (app: JupyterFrontEnd, tracker: IMemlensTracker) => {
    new MemoryAlerts(
      tracker,
      () => void app.commands.execute(CommandIDs.openPanel)
    );
  }
};

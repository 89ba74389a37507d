import {
  refreshIcon,
  SidePanel,
  ToolbarButton
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';
import type { IRule } from '../../analysis/types';
import type { INotebookMemlens } from '../../tokens';
import { memlensIcon } from '../../icons';
import { h } from '../dom';
import { ClusterSection } from './cluster-section';
import { FindingsSection } from './findings-section';
import { GcSection } from './gc-section';
import { KernelSection } from './kernel-section';
import { ProfileSection } from './profile-section';
import { VariablesSection } from './variables-section';
import { trans } from '../../common/i18n';

/**
 * The memlens side panel (`#memlens-panel`): kernel memory and timeline,
 * variables, line profiles, garbage collector, findings and clusters of the
 * active notebook: a JupyterLab side panel (the notebook's name on top, a
 * toolbar) whose content scrolls as one column of collapsible sections. (An
 * accordion would give each section a fixed share of the height; the
 * variable list and the findings need the whole column.)
 */
export class MemlensPanel extends SidePanel {
  constructor(rules: readonly IRule[]) {
    super({ content: new Panel() });
    this.id = 'memlens-panel';
    this.content.addClass('jp-memlens-content');
    this.addClass('jp-memlens-panel');
    this.title.icon = memlensIcon;
    this.title.caption = trans().__('memlens: notebook memory');
    this.findings = new FindingsSection(rules);
    this.header.addWidget(
      new Widget({
        node: h('div', { className: 'jp-memlens-header' }, [
          h('span', { className: 'jp-memlens-title', text: 'memlens' }),
          this._notebookName
        ])
      })
    );
    this.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        label: trans().__('Refresh'),
        className: 'jp-memlens-refresh',
        tooltip: trans().__('Ask the kernel for fresh memory facts'),
        onClick: () => void this.refresh()
      })
    );
    for (const section of this._sections) {
      this.addWidget(section);
    }
  }

  readonly kernel = new KernelSection();
  readonly variables = new VariablesSection();
  readonly gc = new GcSection();
  readonly findings: FindingsSection;
  readonly cluster = new ClusterSection();
  readonly profiles = new ProfileSection();

  /** The notebook whose memory is shown. */
  get model(): INotebookMemlens | null {
    return this._model;
  }
  set model(model: INotebookMemlens | null) {
    if (model === this._model) {
      return;
    }
    if (this._model && !this._model.isDisposed) {
      this._model.changed.disconnect(this._render, this);
      this._model.live.visible = false;
    }
    this._model = model;
    model?.changed.connect(this._render, this);
    this._notebookName.textContent = model ? model.panel.context.localPath : '';
    for (const section of this._sections) {
      section.model = model;
    }
    this._updateVisibility();
  }

  /** Ask the kernel for fresh facts now. */
  async refresh(): Promise<void> {
    await this._model?.live.refresh();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._updateVisibility();
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._updateVisibility();
  }

  private _updateVisibility(): void {
    // The live model refreshes (after cells, while a cell runs, follow-ups
    // of incomplete snapshots) only while it is visible.
    if (this._model) {
      this._model.live.visible = this.isVisible;
    }
  }

  private _render(): void {
    for (const section of this._sections) {
      section.render();
    }
  }

  private get _sections() {
    return [
      this.kernel,
      this.variables,
      this.profiles,
      this.gc,
      this.findings,
      this.cluster
    ];
  }

  private _model: INotebookMemlens | null = null;
  private _notebookName = h('span', { className: 'jp-memlens-notebook' });
}

import {
  refreshIcon,
  SidePanel,
  ToolbarButton
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';
import type { IRule } from '../../analyzer/types';
import type { INotebookMemlens } from '../../tokens';
import { memlensIcon } from '../icons';
import { h } from '../dom';
import { ClusterSection } from './cluster-section';
import { FindingsSection } from './findings-section';
import { GcSection } from './gc-section';
import { KernelSection } from './kernel-section';
import { ProfileSection } from './profile-section';
import type { Section } from './section';
import { VariablesSection } from './variables-section';
import { trans } from '../../common/i18n';
import { measure } from '../../common/user-timing';

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
      this._model.analysis.changed.disconnect(this._onAnalysis, this);
      this._model.live.changed.disconnect(this._onLive, this);
      this._model.profiles.changed.disconnect(this._onProfiles, this);
      this._model.guard.changed.disconnect(this._onGuard, this);
      this._model.live.visible = false;
    }
    this._model = model;
    // Each section redraws when what it shows may have changed: a redraw
    // costs the page a style and layout pass even when nothing differs.
    model?.analysis.changed.connect(this._onAnalysis, this);
    model?.live.changed.connect(this._onLive, this);
    model?.profiles.changed.connect(this._onProfiles, this);
    model?.guard.changed.connect(this._onGuard, this);
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
    this._scheduleRender(this._sections);
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

  dispose(): void {
    cancelIdleCallback(this._pending);
    super.dispose();
  }

  private _onAnalysis(): void {
    // profiles name cells by index, which moves with the cells
    this._scheduleRender([this.findings, this.profiles]);
  }

  private _onLive(): void {
    this._scheduleRender([
      this.kernel,
      this.variables,
      this.gc,
      this.findings,
      this.cluster
    ]);
  }

  private _onGuard(): void {
    this._scheduleRender([this.kernel]);
  }

  private _onProfiles(): void {
    this._scheduleRender([this.profiles]);
  }

  /**
   * Redraw `sections` once the page is idle (within a second), and only
   * while the panel shows (all of them when it is shown again). Not in the
   * task that delivered the change (an analysis result, a snapshot), and
   * not in the frame that draws the same result in the cell editors: in a
   * notebook of a thousand cells each of those frames is already close to
   * 50 ms. (Lumino's `update()` would run in a microtask of that task.)
   */
  private _scheduleRender(sections: readonly Section[]): void {
    sections.forEach(section => this._dirty.add(section));
    if (this._pending === 0) {
      this._pending = requestIdleCallback(
        () => {
          this._pending = 0;
          if (this.isVisible) {
            this._render();
          }
        },
        { timeout: 1000 }
      );
    }
  }

  private _render(): void {
    // Visible in the browser's performance tools (and to the typing test).
    const start = performance.now();
    for (const section of this._sections) {
      if (this._dirty.has(section)) {
        section.render();
      }
    }
    this._dirty.clear();
    measure('memlens:panel-render', start);
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
  private _pending = 0;
  private _dirty = new Set<Section>();
  private _notebookName = h('span', { className: 'jp-memlens-notebook' });
}

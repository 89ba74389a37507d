import type { TimelineEntry } from '../../kernel/protocol';
import { jumpToCell } from '../actions/cells';
import type { INotebookMemlens } from '../../tokens';
import { button, h, replaceChildren } from '../dom';
import { postmortemText } from '../alerts/text';
import { ExplainView } from './explain-view';
import { formatBytes } from '../format';
import { Section } from './section';
import { renderTimeline } from './timeline-chart';
import { trans } from '../../common/i18n';

/** Process memory of the kernel and the per-cell memory timeline. */
export class KernelSection extends Section {
  constructor() {
    super(trans().__('Kernel'), 'kernel');
    this.body.append(
      this._postmortem,
      this._status,
      this._guardError,
      this._facts,
      this._explain.node,
      this._chart,
      this._helper
    );
  }

  set model(model: INotebookMemlens | null) {
    this._model = model;
    this._explain.reset();
    this.render();
  }

  render(): void {
    const model = this._model;
    if (!model) {
      this._status.textContent = trans().__(
        'Open a notebook to see its memory.'
      );
      this._helper.textContent = '';
      replaceChildren(this._facts, []);
      replaceChildren(this._chart, []);
      replaceChildren(this._postmortem, []);
      this._postmortemShown = undefined;
      this._explain.node.replaceChildren();
      this._explain.reset();
      return;
    }
    const live = model.live;
    this._renderPostmortem(model);
    this._guardError.textContent = model.guard.error ?? '';
    this._explain.render(live.explanation, model);
    this._status.textContent = statusText(
      live.state,
      live.stateMessage,
      live.busy,
      live.error
    );
    this._status.dataset.memlensState = live.busy ? 'busy' : live.state;
    const helper = live.helper;
    this._helper.textContent = helper
      ? helper.injected
        ? trans().__(
            'memlens-kernel %1 (sent to this kernel by memlens: it is not installed there)',
            helper.version
          )
        : trans().__('memlens-kernel %1', helper.version)
      : '';
    const process = live.snapshot?.process;
    replaceChildren(
      this._facts,
      process
        ? [
            fact(
              trans().__('RSS'),
              formatBytes(process.rss_bytes),
              'jp-memlens-rss'
            ),
            process.uss_bytes !== null
              ? fact(
                  trans().__('USS'),
                  formatBytes(process.uss_bytes),
                  'jp-memlens-uss'
                )
              : null,
            process.peak_rss_bytes !== null
              ? fact(
                  trans().__('peak'),
                  formatBytes(process.peak_rss_bytes),
                  'jp-memlens-peak'
                )
              : null,
            model.guard.level !== null
              ? fact(
                  trans().__('guard'),
                  formatBytes(model.guard.level),
                  'jp-memlens-guard'
                )
              : null
          ]
        : []
    );
    const timeline = live.timeline;
    replaceChildren(
      this._chart,
      timeline.length > 0
        ? [
            renderTimeline(
              timeline,
              entry => this._select(entry),
              entry =>
                model.profiles.isProfiledRun(
                  entry.cell_id,
                  entry.execution_count
                )
            )
          ]
        : live.state === 'ready'
          ? [
              h('div', {
                className: 'jp-memlens-muted',
                text: trans().__('Run a cell to start the memory timeline.')
              })
            ]
          : []
    );
  }

  /** The post-mortem of the kernel that died before this one, if any. */
  private _renderPostmortem(model: INotebookMemlens): void {
    const postmortem = model.guard.postmortem;
    if (postmortem === this._postmortemShown) {
      return;
    }
    this._postmortemShown = postmortem;
    replaceChildren(
      this._postmortem,
      postmortem
        ? [
            h(
              'div',
              {
                className: `jp-memlens-postmortem${postmortem.likely_oom ? ' jp-memlens-oom' : ''}`,
                attrs: { role: 'alert' }
              },
              [
                h('span', { text: postmortemText(postmortem) }),
                button(
                  trans().__('Dismiss'),
                  'jp-memlens-postmortem-dismiss',
                  () => model.guard.dismissPostmortem()
                )
              ]
            )
          ]
        : []
    );
  }

  /** Select the cell that produced a timeline entry. */
  private _select(entry: TimelineEntry): void {
    const notebook = this._model?.panel.content;
    if (!notebook) {
      return;
    }
    const index = notebook.widgets.findIndex(
      cell =>
        (entry.cell_id && cell.model.id === entry.cell_id) ||
        (entry.execution_count !== null &&
          cell.model.type === 'code' &&
          (cell.model as unknown as { executionCount: number | null })
            .executionCount === entry.execution_count)
    );
    if (index >= 0 && this._model) {
      jumpToCell(this._model.panel, index);
    }
  }

  private _model: INotebookMemlens | null = null;
  private _postmortemShown: unknown = undefined;
  /** Holds the `.jp-memlens-postmortem` message while there is one. */
  private _postmortem = h('div');
  private _explain = new ExplainView();
  private _guardError = h('div', { className: 'jp-memlens-error' });
  private _status = h('div', {
    className: 'jp-memlens-status',
    attrs: { 'aria-live': 'polite' }
  });
  private _facts = h('div', { className: 'jp-memlens-facts' });
  private _chart = h('div', { className: 'jp-memlens-chart' });
  private _helper = h('div', {
    className: 'jp-memlens-helper jp-memlens-muted'
  });
}

function fact(label: string, value: string, className: string): HTMLElement {
  return h('span', { className: `jp-memlens-fact ${className}` }, [
    h('span', { className: 'jp-memlens-fact-label', text: label }),
    h('span', { className: 'jp-memlens-fact-value', text: value })
  ]);
}

function statusText(
  state: string,
  message: string,
  busy: boolean,
  error: string | null
): string {
  if (busy) {
    return trans().__(
      'Kernel busy: facts will refresh when the cell finishes.'
    );
  }
  switch (state) {
    case 'ready':
      return error ? trans().__('Last refresh failed: %1', error) : '';
    case 'connecting':
      return trans().__('Connecting to the kernel helper…');
    case 'no-kernel':
    case 'disposed':
      return trans().__('No running kernel: static analysis only.');
    default:
      return message;
  }
}

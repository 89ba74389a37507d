import { freeVariable } from '../actions/kernel';
import type { Variable } from '../../kernel/protocol';
import type { INotebookMemlens } from '../../tokens';
import { h, replaceChildren } from '../dom';
import { formatBytes } from '../format';
import { DataFrameDetails } from './dataframe-details';
import { HiddenList } from './hidden-list';
import { showOutcome } from './outcome';
import { ProgressDelay } from './progress-delay';
import { Section } from './section';
import { renderVariableRow } from './variable-row';
import { VirtualList } from './virtual-list';
import { trans } from '../../common/i18n';
import { measure } from '../../common/user-timing';

/** Renders of the variables list kept in the timeline (the UI benchmark reads them). */
const RENDER_HISTORY = 1000;

/** A row of the list: a variable, or one just freed kept in place. */
interface IRowItem {
  variable: Variable;
  freed: boolean;
}

type SortKey = 'size' | 'name' | 'type';

/** The sort buttons' labels (the keys stay in `data-sort`). */
const SORT_LABELS: Record<SortKey, () => string> = {
  size: () => trans().__('size'),
  name: () => trans().__('name'),
  type: () => trans().__('type')
};

/**
 * Every user variable with its deep size, sortable and filterable, with
 * "free" and (for DataFrames) "details" actions.
 */
export class VariablesSection extends Section {
  constructor() {
    super(trans().__('Variables'), 'variables');
    this._filter.placeholder = trans().__('Filter variables');
    this._filter.setAttribute('aria-label', trans().__('Filter variables'));
    this._filter.addEventListener('input', () => this.render());
    const sortButtons = (['size', 'name', 'type'] as SortKey[]).map(key =>
      h('button', {
        className: 'jp-memlens-sort',
        text: SORT_LABELS[key](),
        attrs: { type: 'button', 'data-sort': key },
        onClick: () => {
          this._descending =
            this._sort === key ? !this._descending : key === 'size';
          this._sort = key;
          this.render();
        }
      })
    );
    this.body.append(
      h('div', { className: 'jp-memlens-toolbar' }, [
        this._filter,
        h(
          'span',
          { className: 'jp-memlens-sorts', text: trans().__('sort:') },
          sortButtons
        )
      ]),
      this._summary,
      this._list.node,
      this._hidden.node,
      this._result,
      this._details.node
    );
    // A freed row stays in place (greyed, without buttons) while the pointer
    // is over the list, so the next row's "free" does not slide under it.
    this._list.node.addEventListener('mouseleave', () => this._unpin());
  }

  /** Show the variables of this notebook (or none). */
  set model(model: INotebookMemlens | null) {
    this._model = model;
    this._progress.reset();
    this._details.clear();
    replaceChildren(this._result, []);
    this.render();
  }

  render(): void {
    // Visible in the browser's performance tools and read by bench/ui.
    const start = performance.now();
    try {
      this._render();
    } finally {
      measure('memlens:variables-render', start, undefined, RENDER_HISTORY);
    }
  }

  private _render(): void {
    const snapshot = this._model?.live.snapshot ?? null;
    const query = this._filter.value.trim().toLowerCase();
    const variables = (snapshot?.variables ?? []).filter(
      v =>
        !query ||
        v.name.toLowerCase().includes(query) ||
        v.type.toLowerCase().includes(query)
    );
    variables.sort(this._compare());
    const items: IRowItem[] = variables.map(variable => ({
      variable,
      freed: false
    }));
    for (const [name, { variable, index }] of this._pinned) {
      if (!variables.some(v => v.name === name)) {
        items.splice(Math.min(index, items.length), 0, {
          variable,
          freed: true
        });
      }
    }
    this._order = items.map(item => item.variable.name);
    this._list.setItems(items);
    this._hidden.render(snapshot, this._model);
    if (!snapshot) {
      this._progress.reset();
      this._summary.textContent = '';
      delete this._summary.dataset.memlensComplete;
      return;
    }
    // whether sizes are pending, at once (the progress line waits a second)
    this._summary.dataset.memlensComplete = String(snapshot.complete);
    const total = formatBytes(snapshot.total_bytes ?? null, !snapshot.complete);
    const progress = snapshot.progress;
    replaceChildren(this._summary, [
      h('span', {
        text: trans().__(
          '%1 variables, %2 in all',
          snapshot.variables.length,
          total
        )
      }),
      // the line appears only when sizes stay pending for over a second
      !this._progress.due(!snapshot.complete)
        ? null
        : h('span', {
            className: 'jp-memlens-progress',
            attrs: { role: 'status' },
            text: progress
              ? trans().__(' (sized %1 of %2…)', progress.sized, progress.total)
              : trans().__(' (time budget reached: some sizes pending)')
          })
    ]);
  }

  private _compare(): (a: Variable, b: Variable) => number {
    const sign = this._descending ? -1 : 1;
    switch (this._sort) {
      case 'size':
        return (a, b) =>
          sign * ((a.size_bytes ?? -1) - (b.size_bytes ?? -1)) ||
          a.name.localeCompare(b.name);
      case 'type':
        return (a, b) =>
          sign * a.type.localeCompare(b.type) || a.name.localeCompare(b.name);
      case 'name':
        return (a, b) => sign * a.name.localeCompare(b.name);
    }
  }

  private async _free(variable: Variable): Promise<void> {
    const model = this._model;
    if (!model) {
      return;
    }
    const outcome = await freeVariable(model, variable.name, () => {
      // The freed row stays in place while the pointer is over the list.
      if (this._list.node.matches(':hover')) {
        this._pinned.set(variable.name, {
          variable,
          index: Math.max(this._order.indexOf(variable.name), 0)
        });
      }
    });
    if (!outcome?.ok) {
      this._pinned.delete(variable.name);
      this.render();
    }
    if (!outcome) {
      return;
    }
    showOutcome(this._result, outcome, model);
    if (outcome.ok) {
      this._result.dataset.memlensFreed = String(outcome.freedBytes ?? 0);
      this.render();
    }
  }

  private _unpin(): void {
    if (this._pinned.size > 0) {
      this._pinned.clear();
      this.render();
    }
  }

  private _pinned = new Map<string, { variable: Variable; index: number }>();
  private _order: string[] = [];
  private _model: INotebookMemlens | null = null;
  private _sort: SortKey = 'size';
  private _descending = true;
  private _filter = h('input', {
    className: 'jp-memlens-filter jp-mod-styled'
  });
  private _summary = h('div', { className: 'jp-memlens-summary' });
  private _result = h('div', {
    className: 'jp-memlens-free-result',
    attrs: { 'aria-live': 'polite' }
  });
  private _details = new DataFrameDetails(() => this._model);
  private _progress = new ProgressDelay(() => this.render());
  private _hidden = new HiddenList();
  private _list = new VirtualList<IRowItem>({
    render: item =>
      renderVariableRow(
        item.variable,
        {
          free: v => void this._free(v),
          details: v => void this._details.show(v.name)
        },
        item.freed
      ),
    key: item => item.variable.name,
    same: (a, b) =>
      a.freed === b.freed &&
      (a.variable === b.variable ||
        JSON.stringify(a.variable) === JSON.stringify(b.variable)),
    label: trans().__('Variables')
  });
}

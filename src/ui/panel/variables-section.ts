import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { Variable } from '../../kernel/protocol';
import type { NotebookMemlens } from '../../notebook/notebook-memlens';
import { h, replaceChildren } from '../dom';
import { describeRss, formatBytes } from '../format';
import { DataFrameDetails } from './dataframe-details';
import { HiddenList } from './hidden-list';
import { Section } from './section';
import { isAliasHolder, renderVariableRow } from './variable-row';
import { VirtualList } from './virtual-list';

type SortKey = 'size' | 'name' | 'type';

/**
 * Every user variable with its deep size, sortable and filterable, with
 * "free" and (for DataFrames) "details" actions.
 */
export class VariablesSection extends Section {
  constructor() {
    super('Variables', 'variables');
    this._filter.placeholder = 'Filter variables';
    this._filter.setAttribute('aria-label', 'Filter variables');
    this._filter.addEventListener('input', () => this.render());
    const sortButtons = (['size', 'name', 'type'] as SortKey[]).map(key =>
      h('button', {
        className: 'jp-memlens-sort',
        text: key,
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
        h('span', { className: 'jp-memlens-sorts', text: 'sort:' }, sortButtons)
      ]),
      this._summary,
      this._list.node,
      this._hidden.node,
      this._result,
      this._details.node
    );
  }

  /** Show the variables of this notebook (or none). */
  set model(model: NotebookMemlens | null) {
    this._model = model;
    this._details.clear();
    replaceChildren(this._result, []);
    this.render();
  }

  render(): void {
    const snapshot = this._model?.live.snapshot ?? null;
    const query = this._filter.value.trim().toLowerCase();
    const variables = (snapshot?.variables ?? []).filter(
      v =>
        !query ||
        v.name.toLowerCase().includes(query) ||
        v.type.toLowerCase().includes(query)
    );
    variables.sort(this._compare());
    this._list.setItems(variables);
    this._hidden.render(snapshot, this._model?.live ?? null);
    if (!snapshot) {
      this._summary.textContent = '';
      return;
    }
    const total = formatBytes(snapshot.total_bytes ?? null, !snapshot.complete);
    this._summary.textContent =
      `${snapshot.variables.length} variables, ${total} in all` +
      (snapshot.complete ? '' : ' (time budget reached: some sizes pending)');
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
    const aliases = variable.held_by.filter(isAliasHolder);
    if (aliases.length > 0) {
      const answer = await showDialog({
        title: `Free ${variable.name}?`,
        body: `Other variables still hold the same object: ${aliases.join(', ')}. Deleting ${variable.name} frees no memory until they are deleted too.`,
        buttons: [
          Dialog.cancelButton(),
          Dialog.warnButton({ label: `del ${variable.name}` })
        ]
      });
      if (!answer.button.accept) {
        return;
      }
    }
    try {
      const reply = await model.live.free(variable.name);
      if (!reply.deleted) {
        throw new Error(reply.error ?? `${variable.name} was not deleted.`);
      }
      const freed = formatBytes(reply.freed_bytes ?? 0);
      const held = reply.still_held_by.length
        ? ` Still held by ${reply.still_held_by.join(', ')}.`
        : '';
      const rss = describeRss(reply.rss_before, reply.rss_after);
      this._result.textContent = `Freed ${freed} (del ${variable.name}).${held}${rss ? ` ${rss}.` : ''}`;
      this._result.dataset.memlensFreed = String(reply.freed_bytes ?? 0);
    } catch (reason) {
      const message = reason instanceof Error ? reason.message : String(reason);
      this._result.textContent = `Could not free ${variable.name}: ${message}`;
      Notification.error(
        `memlens: could not free ${variable.name}: ${message}`,
        { autoClose: 5000 }
      );
    }
  }

  private _model: NotebookMemlens | null = null;
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
  private _hidden = new HiddenList();
  private _list = new VirtualList<Variable>(variable =>
    renderVariableRow(variable, {
      free: v => void this._free(v),
      details: v => void this._details.show(v.name)
    })
  );
}

import type { DataframeReport } from '../../kernel/protocol';
import type { INotebookMemlens } from '../../tokens';
import { button, h, replaceChildren } from '../dom';
import { formatBytes } from '../format';
import { insertCellBelow } from '../actions/cells';
import { trans } from '../../common/i18n';
import { errorMessage } from '../../common/errors';

/**
 * Per-column memory of one DataFrame with the helper's dtype suggestions,
 * and an action that inserts the exact conversion code as a new cell below
 * the active one (the data itself is never changed by memlens).
 */
export class DataFrameDetails {
  constructor(private readonly _model: () => INotebookMemlens | null) {}

  readonly node = h('div', {
    className: 'jp-memlens-dataframe',
    attrs: { 'aria-live': 'polite' }
  });

  clear(): void {
    replaceChildren(this.node, []);
  }

  /** Fetch and show the details of DataFrame `name`. */
  async show(name: string): Promise<void> {
    const model = this._model();
    if (!model) {
      return;
    }
    replaceChildren(this.node, [
      h('div', {
        className: 'jp-memlens-muted',
        text: trans().__("Reading %1's columns…", name)
      })
    ]);
    try {
      this._render(model, await model.live.dataframe(name));
    } catch (reason) {
      const message = errorMessage(reason);
      replaceChildren(this.node, [
        h('div', { className: 'jp-memlens-error', text: `${name}: ${message}` })
      ]);
    }
  }

  private _render(model: INotebookMemlens, detail: DataframeReport): void {
    const rows = detail.columns.map(column =>
      h('tr', { attrs: { 'data-memlens-column': String(column.column) } }, [
        h('td', { text: String(column.column) }),
        h('td', { text: column.dtype }),
        h('td', {
          className: 'jp-memlens-num',
          text: formatBytes(column.memory_bytes)
        }),
        h('td', { text: column.suggestion?.dtype ?? '' }),
        h('td', {
          className: 'jp-memlens-num',
          text: column.suggestion
            ? `−${formatBytes(column.suggestion.saving_bytes)}`
            : ''
        })
      ])
    );
    const table = h('table', { className: 'jp-memlens-columns' }, [
      h('thead', {}, [
        h(
          'tr',
          {},
          [
            trans().__('column'),
            trans().__('dtype'),
            trans().__('memory'),
            trans().__('suggested'),
            trans().__('saving')
          ].map(text => h('th', { text }))
        )
      ]),
      h('tbody', {}, rows)
    ]);
    const code = detail.code;
    replaceChildren(this.node, [
      h('div', {
        className: 'jp-memlens-dataframe-title',
        text:
          trans().__(
            '%1: %2 rows, %3 columns, index %4',
            detail.name,
            detail.rows,
            detail.n_columns,
            formatBytes(detail.index_bytes)
          ) +
          (detail.total_saving_bytes > 0
            ? trans().__(
                ', suggested dtypes save %1',
                formatBytes(detail.total_saving_bytes)
              )
            : '')
      }),
      table,
      code
        ? h('div', { className: 'jp-memlens-fix' }, [
            h('pre', { className: 'jp-memlens-code', text: code }),
            button(
              trans().__('Insert fix cell'),
              'jp-memlens-insert-fix',
              () => insertCellBelow(model.panel, code),
              trans().__('Insert this code as a new cell below the active cell')
            )
          ])
        : h('div', {
            className: 'jp-memlens-muted',
            text: trans().__('No dtype change would save enough memory.')
          })
    ]);
  }
}

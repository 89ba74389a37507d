import type { ProfileLine } from '../../kernel/protocol';
import { jumpToCell } from '../actions/cells';
import { cellIndexOf } from '../../model/notebook/cells';
import type { ICellProfile } from '../../model/line-profiles/line-profiles';
import type { INotebookMemlens } from '../../tokens';
import { h, replaceChildren } from '../dom';
import { formatBytes, formatDelta } from '../format';
import { lineProfileText, lineProfileTitle } from '../line-profile/decorations';
import { Section } from './section';
import { trans } from '../../common/i18n';

/** Lines listed per profiled cell (the biggest peaks). */
const LINES_PER_CELL = 5;

/**
 * The last per-line memory profile of each profiled cell, biggest peak
 * first; each line jumps to itself in the editor.
 */
export class ProfileSection extends Section {
  constructor() {
    super(trans().__('Line profiles'), 'profiles');
    this.body.append(this._status, this._list);
  }

  set model(model: INotebookMemlens | null) {
    this._model = model;
    this.render();
  }

  render(): void {
    const model = this._model;
    const profiles = model?.profiles.profiles ?? [];
    const armed = model?.profiles.armed.size ?? 0;
    this._status.textContent = armed
      ? trans()._n(
          'Profiling the next run of a cell…',
          'Profiling the next run of %1 cells…',
          armed
        )
      : profiles.length === 0
        ? trans().__(
            'No line profile yet: use “Profile Cell Memory” on a cell (cell toolbar, context menu or Alt+Shift+M) to see what each of its lines allocates.'
          )
        : '';
    replaceChildren(
      this._list,
      profiles.map(profile => this._renderCell(profile))
    );
  }

  private _renderCell(entry: ICellProfile): HTMLElement {
    const { profile } = entry;
    const index = this._model
      ? cellIndexOf(this._model.panel, entry.cellId)
      : -1;
    const label =
      profile.execution_count !== null
        ? `[${profile.execution_count}]`
        : index >= 0
          ? trans().__('cell %1', index + 1)
          : trans().__('a deleted cell');
    const sourceLines = entry.source.split('\n');
    const lines = [...profile.lines]
      .sort((a, b) => b.peak_bytes - a.peak_bytes)
      .slice(0, LINES_PER_CELL);
    return h(
      'div',
      {
        className: 'jp-memlens-profile',
        attrs: { 'data-memlens-profile-cell': entry.cellId }
      },
      [
        h('div', {
          className: 'jp-memlens-profile-summary',
          text: trans().__(
            '%1 peak %2 · net %3 · %4 ms · %5',
            label,
            formatBytes(profile.peak_bytes),
            formatDelta(profile.net_bytes),
            Math.round(profile.duration_ms),
            profile.method === 'sampled'
              ? trans().__('sampled (coarse)')
              : trans().__('exact')
          )
        }),
        ...lines.map(line =>
          this._renderLine(line, index, sourceLines[line.line - 1] ?? '')
        ),
        lines.length === 0
          ? h('div', {
              className: 'jp-memlens-muted',
              text:
                profile.method === 'sampled'
                  ? trans().__(
                      'No line moved resident memory by 1 MiB or more.'
                    )
                  : trans().__('No line allocated more than 1 KiB.')
            })
          : null,
        ...(profile.notes ?? []).map(note =>
          h('div', { className: 'jp-memlens-muted', text: note })
        )
      ]
    );
  }

  private _renderLine(
    line: ProfileLine,
    cellIndex: number,
    source: string
  ): HTMLElement {
    const row = h(
      'button',
      {
        className: 'jp-memlens-profile-line',
        title: lineProfileTitle(line),
        attrs: {
          type: 'button',
          'data-memlens-profile-line': String(line.line)
        },
        onClick: () => {
          if (this._model && cellIndex >= 0) {
            jumpToCell(this._model.panel, cellIndex, {
              line: line.line - 1,
              column: 0
            });
          }
        }
      },
      [
        h('span', {
          className: 'jp-memlens-profile-lineno',
          text: `${line.line}`
        }),
        h('span', {
          className: 'jp-memlens-profile-source',
          text: source.trim()
        }),
        h('span', {
          className: 'jp-memlens-profile-numbers',
          text: lineProfileText(line)
        })
      ]
    );
    row.disabled = cellIndex < 0;
    return row;
  }

  private _model: INotebookMemlens | null = null;
  private _status = h('div', {
    className: 'jp-memlens-muted',
    attrs: { 'aria-live': 'polite' }
  });
  private _list = h('div', { className: 'jp-memlens-profile-list' });
}

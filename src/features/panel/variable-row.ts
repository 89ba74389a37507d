import { isOutputCacheHolder } from '../../kernel/holders';
import type { Variable } from '../../kernel/protocol';
import { button, h } from '../dom';
import { formatBytes, formatShape } from '../format';
import { trans } from '../../common/i18n';

/** What a row's buttons do. */
export interface IRowActions {
  free(variable: Variable): void;
  details(variable: Variable): void;
}

/** Holder badges shown in full before the rest collapse into "+N". */
const MAX_BADGES = 3;

/** Whether the panel can show per-column details for this type. */
export function isDataFrame(variable: Variable): boolean {
  return (
    /(^|\.)DataFrame$/.test(variable.type) && variable.type.startsWith('pandas')
  );
}

/**
 * The text of a row's size cell: `…` while pending, `~` for an estimate,
 * and for an object holding native memory the helper cannot see, the lower
 * bound it has: `≥ 53.0 KiB · native memory not visible`.
 */
export function variableSizeText(variable: Variable): string {
  if (variable.pending) {
    return '…';
  }
  if (variable.native === 'unknown') {
    return trans().__(
      '≥ %1 · native memory not visible',
      formatBytes(variable.size_bytes)
    );
  }
  return formatBytes(variable.size_bytes, !variable.size_exact);
}

/** The tooltip of a row's size cell, if it needs one. */
export function variableSizeTitle(variable: Variable): string | undefined {
  if (variable.pending) {
    return trans().__('Not sized yet: the time budget ran out.');
  }
  if (variable.native === 'unknown') {
    return trans().__(
      'At least this size: this object keeps memory in native code that memlens cannot measure (native memory not visible).'
    );
  }
  if (!variable.size_exact && variable.size_error) {
    return trans().__(
      'Estimated by sampling, within ±%1%',
      Math.round(variable.size_error * 100)
    );
  }
  return undefined;
}

/**
 * One row of the variables table. All kernel text is set as text. A `freed`
 * row is the greyed place of a variable just deleted: it has no buttons and
 * no `data-memlens-variable` (the variable is gone).
 */
export function renderVariableRow(
  variable: Variable,
  actions: IRowActions,
  freed = false
): HTMLElement {
  // One badge per holder up to MAX_BADGES; the rest collapse into "+N"
  // whose tooltip names them, so narrow panels keep the row on one line.
  // `Out[n]` first: it is the holder users recognize and can clear.
  const holders = [...variable.held_by].sort(
    (a, b) => Number(!a.startsWith('Out[')) - Number(!b.startsWith('Out['))
  );
  const shown =
    holders.length > MAX_BADGES ? holders.slice(0, MAX_BADGES - 1) : holders;
  const badges = shown.map(holder =>
    h('span', {
      className: `jp-memlens-badge ${isOutputCacheHolder(holder) ? 'jp-memlens-badge-cache' : ''}`,
      text: holder,
      title: trans().__('Also held by %1', holder)
    })
  );
  if (shown.length < holders.length) {
    const rest = holders.slice(shown.length);
    badges.push(
      h('span', {
        className: 'jp-memlens-badge jp-memlens-badge-more',
        text: `+${rest.length}`,
        title: trans().__('Also held by %1', rest.join(', '))
      })
    );
  }
  if (variable.storage && variable.storage !== 'heap') {
    badges.unshift(
      h('span', {
        className: 'jp-memlens-badge jp-memlens-badge-storage',
        text: variable.device ?? variable.storage,
        title: trans().__('Data lives in: %1', variable.storage)
      })
    );
  }
  if (freed) {
    return h(
      'div',
      {
        className: 'jp-memlens-row jp-memlens-row-freed',
        attrs: {
          'data-memlens-freed': variable.name,
          role: 'row',
          'aria-disabled': 'true'
        }
      },
      [
        h('span', { className: 'jp-memlens-name', text: variable.name }),
        h('span', { className: 'jp-memlens-size', text: trans().__('freed') })
      ]
    );
  }
  return h(
    'div',
    {
      className: 'jp-memlens-row',
      attrs: { 'data-memlens-variable': variable.name, role: 'row' }
    },
    [
      h('span', {
        className: 'jp-memlens-name',
        text: variable.name,
        title: variable.name
      }),
      h('span', {
        className: `jp-memlens-size${variable.native === 'unknown' ? ' jp-memlens-size-native' : ''}`,
        text: variableSizeText(variable),
        title: variableSizeTitle(variable)
      }),
      h('span', { className: 'jp-memlens-actions' }, [
        isDataFrame(variable)
          ? button(
              trans().__('details'),
              'jp-memlens-details',
              () => actions.details(variable),
              trans().__('Per-column memory and dtype suggestions')
            )
          : null,
        button(
          trans().__('free'),
          'jp-memlens-free',
          () => actions.free(variable),
          trans().__('del %1 in the kernel and collect', variable.name)
        )
      ]),
      h('div', { className: 'jp-memlens-meta' }, [
        h('span', {
          className: 'jp-memlens-type',
          text: variable.type,
          title: variable.error ?? variable.type
        }),
        h('span', {
          className: 'jp-memlens-shape',
          text: formatShape(variable.shape, variable.len)
        }),
        h('span', { className: 'jp-memlens-holders' }, badges)
      ])
    ]
  );
}

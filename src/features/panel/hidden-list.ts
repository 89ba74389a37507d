import { runKernelAction } from '../actions/kernel';
import { isOutputCacheHolder } from '../../kernel/holders';
import type { Snapshot } from '../../kernel/protocol';
import type { INotebookMemlens } from '../../tokens';
import { button, h, replaceChildren } from '../dom';
import { formatBytes } from '../format';
import { showOutcome } from './outcome';
import { trans } from '../../common/i18n';

/**
 * Objects no variable names any more that IPython still keeps alive (a
 * displayed result in `Out[n]`/`_`, the last exception's frames), with the
 * action that releases them.
 */
export class HiddenList {
  readonly node = h('div', {
    className: 'jp-memlens-hidden',
    attrs: { 'aria-live': 'polite' }
  });

  /** Show the hidden objects of `snapshot`. */
  render(snapshot: Snapshot | null, memlens: INotebookMemlens | null): void {
    const hidden = snapshot?.hidden ?? [];
    if (!memlens || hidden.length === 0) {
      replaceChildren(this.node, []);
      return;
    }
    const items = hidden.map(entry => {
      const cache = entry.holders.some(isOutputCacheHolder);
      const action = cache ? 'clear_output_cache' : 'clear_last_error';
      const result = h('span', { className: 'jp-memlens-action-result' });
      return h('li', { className: 'jp-memlens-hidden-item' }, [
        h('span', {
          text: trans().__(
            '%1 %2 held by %3 ',
            formatBytes(entry.size_bytes, !entry.size_exact),
            entry.type,
            entry.holders.join(', ')
          )
        }),
        button(
          cache
            ? trans().__('Clear output cache')
            : trans().__('Clear last error'),
          'jp-memlens-release-hidden',
          async () => {
            showOutcome(
              result,
              await runKernelAction(memlens, action),
              memlens
            );
          }
        ),
        result
      ]);
    });
    replaceChildren(this.node, [
      h('div', {
        className: 'jp-memlens-hidden-title',
        text: trans().__('Kept alive by IPython (no variable names them):')
      }),
      h('ul', { className: 'jp-memlens-findings' }, items)
    ]);
  }
}

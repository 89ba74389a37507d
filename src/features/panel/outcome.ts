import { runKernelAction, type IActionOutcome } from '../actions/kernel';
import type { INotebookMemlens } from '../../tokens';
import { button, h, replaceChildren } from '../dom';
import { trans } from '../../common/i18n';

/**
 * Show what an action did in `target`, with a Release to OS button when
 * memory stays with the allocator (its own outcome then replaces it).
 */
export function showOutcome(
  target: HTMLElement,
  outcome: IActionOutcome,
  memlens: INotebookMemlens
): void {
  replaceChildren(target, [
    h('span', { text: outcome.text }),
    outcome.offerRelease
      ? button(
          trans().__('Release to OS'),
          'jp-memlens-release',
          async () => {
            target.textContent = trans().__('Releasing…');
            showOutcome(
              target,
              await runKernelAction(memlens, 'release_to_os'),
              memlens
            );
          },
          trans().__(
            'Return freed memory pages to the operating system (malloc_trim)'
          )
        )
      : null
  ]);
}

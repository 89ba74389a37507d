import { trans } from '../../common/i18n';
import type {
  ExplainPart,
  ExplainTop,
  Explanation
} from '../../kernel/protocol';
import type { INotebookMemlens, KernelAction } from '../../tokens';
import {
  isKernelAction,
  kernelActionLabel,
  runKernelAction
} from '../actions/kernel';
import { limitSourceText } from '../alerts/text';
import { button, h, replaceChildren } from '../dom';
import { formatBytes } from '../format';
import { showOutcome } from './outcome';

/** The parts of an explanation, in the order the bar shows them. */
export type PartKind = ExplainPart['kind'];

/** How many of a part's largest names or holders its line shows. */
const TOP_SHOWN = 3;

/** What each part is, for its line (label) and its tooltip. */
export function partInfo(kind: PartKind): { label: string; title: string } {
  switch (kind) {
    case 'variables':
      return {
        label: trans().__('Variables'),
        title: trans().__(
          'Everything your variables reach, each object counted once.'
        )
      };
    case 'hidden':
      return {
        label: trans().__('Hidden'),
        title: trans().__(
          'Objects no variable names any more, kept alive by Out[n] and _, the last error, open figures or caches.'
        )
      };
    case 'baseline':
      return {
        label: trans().__('Baseline'),
        title: trans().__(
          'Python and the libraries imported so far (measured when the helper started and as modules are imported).'
        )
      };
    case 'allocator':
      return {
        label: trans().__('Allocator'),
        title: trans().__(
          "Memory already freed that the allocators keep for reuse instead of returning it to the system: it counts in the process's resident size until Release to OS."
        )
      };
    case 'unattributed':
      return {
        label: trans().__('Unattributed'),
        title: trans().__(
          'Resident memory none of the other parts accounts for: native buffers memlens cannot see, caches of C libraries, memory-mapped files.'
        )
      };
  }
}

/** `df 1.4 GiB, x 300.0 MiB` or `Out[7] 286.1 MiB` (largest first). */
export function topText(part: ExplainPart): string {
  const top = [...(part.top ?? [])].sort((a, b) => b.bytes - a.bytes);
  const shown = top
    .slice(0, TOP_SHOWN)
    .map(entry => `${topName(entry)} ${formatBytes(entry.bytes)}`);
  return top.length > TOP_SHOWN ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** The actions that give a part back: its own, then its holders'. */
export function fixesOf(part: ExplainPart): KernelAction[] {
  const fixes = [part.fix, ...(part.top ?? []).map(entry => entry.fix)];
  return [...new Set(fixes.filter(isKernelAction))];
}

function topName(entry: ExplainTop): string {
  return entry.name ?? entry.holder ?? entry.type ?? '?';
}

/**
 * The kernel's resident memory explained: one stacked bar of the parts
 * and a line per part with its size, its largest names or holders and its
 * one-click fix. Each line is `[data-memlens-part="<kind>"]`.
 */
export class ExplainView {
  readonly node = h('div', { className: 'jp-memlens-explain' });

  /** Forget what was shown (another notebook). */
  reset(): void {
    this._shown = undefined;
    replaceChildren(this._result, []);
  }

  /** Show `explanation` (nothing when null); redraws only when it changed. */
  render(explanation: Explanation | null, memlens: INotebookMemlens): void {
    if (explanation === this._shown) {
      return;
    }
    this._shown = explanation;
    if (!explanation) {
      replaceChildren(this.node, []);
      return;
    }
    const parts = explanation.parts.filter(part => part.bytes > 0);
    const total = parts.reduce((sum, part) => sum + part.bytes, 0);
    const bar = h(
      'div',
      {
        className: 'jp-memlens-explain-bar',
        attrs: {
          role: 'img',
          'aria-label': parts
            .map(
              part => `${partInfo(part.kind).label} ${formatBytes(part.bytes)}`
            )
            .join(', ')
        }
      },
      parts.map(part => {
        const segment = h('span', {
          className: 'jp-memlens-explain-segment',
          title: `${partInfo(part.kind).label}: ${formatBytes(part.bytes)}`,
          attrs: { 'data-memlens-kind': part.kind }
        });
        // the share of the bar is data, not style: the only inline style
        segment.style.flexGrow = String(part.bytes / Math.max(total, 1));
        return segment;
      })
    );
    replaceChildren(this.node, [
      h('div', {
        className: 'jp-memlens-explain-title',
        text: this._title(explanation)
      }),
      bar,
      h(
        'ul',
        { className: 'jp-memlens-explain-parts' },
        explanation.parts.map(part => this._line(part, memlens))
      ),
      this._result
    ]);
  }

  private _title(explanation: Explanation): string {
    const rss = formatBytes(explanation.rss_bytes);
    return explanation.limit_bytes !== null
      ? trans().__(
          'Resident %1 of a %2 limit (%3)',
          rss,
          formatBytes(explanation.limit_bytes),
          limitSourceText(explanation.limit_source)
        )
      : trans().__('Resident %1', rss);
  }

  private _line(part: ExplainPart, memlens: INotebookMemlens): HTMLElement {
    const info = partInfo(part.kind);
    const top = topText(part);
    return h(
      'li',
      {
        className: 'jp-memlens-part',
        title: info.title,
        attrs: { 'data-memlens-part': part.kind }
      },
      [
        h('div', { className: 'jp-memlens-part-head' }, [
          h('span', {
            className: 'jp-memlens-part-swatch',
            attrs: { 'data-memlens-kind': part.kind }
          }),
          h('span', { className: 'jp-memlens-part-label', text: info.label }),
          h('span', {
            className: 'jp-memlens-part-size',
            text: formatBytes(part.bytes, part.exact === false)
          })
        ]),
        top
          ? h('div', {
              className: 'jp-memlens-part-top',
              text: top,
              title: top
            })
          : null,
        ...fixesOf(part).map(fix =>
          button(
            kernelActionLabel(fix),
            `jp-memlens-part-fix jp-memlens-fix-${fix}`,
            () => void this._fix(fix, memlens)
          )
        )
      ]
    );
  }

  private async _fix(
    action: KernelAction,
    memlens: INotebookMemlens
  ): Promise<void> {
    this._result.textContent = trans().__('Working…');
    showOutcome(this._result, await runKernelAction(memlens, action), memlens);
  }

  private _shown: Explanation | null | undefined = undefined;
  private _result = h('div', {
    className: 'jp-memlens-action-result',
    attrs: { 'aria-live': 'polite' }
  });
}

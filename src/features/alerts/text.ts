/**
 * What the memory guard and the post-mortem of a killed kernel say, in the
 * notifications and in the panel. Variable names come from the kernel and
 * are only ever set as text.
 */
import { trans } from '../../common/i18n';
import type {
  GuardData,
  LimitSource,
  NamedBytes,
  Postmortem
} from '../../kernel/protocol';
import { formatBytes } from '../format';

/** How many of the largest variables a sentence names (the panel). */
const NAMED = 3;

/**
 * How many a notification names: JupyterLab cuts a notification's text
 * after 140 characters.
 */
export const NAMED_BRIEFLY = 1;

/** `df 12.3 GiB, x 2.0 GiB, …` (the largest first, at most `named`). */
export function largestText(top: readonly NamedBytes[], named = NAMED): string {
  const sorted = [...top].sort((a, b) => b.bytes - a.bytes);
  const shown = sorted
    .slice(0, named)
    .map(entry => `${entry.name} ${formatBytes(entry.bytes)}`);
  return sorted.length > named ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** Where a memory limit comes from, in words. */
export function limitSourceText(source: LimitSource | null): string {
  switch (source) {
    case 'cgroup':
      return trans().__('the container (cgroup)');
    case 'rlimit':
      return trans().__('the process rlimit');
    case 'system':
      return trans().__("the machine's memory");
    case 'setting':
      return trans().__('the memlens settings');
    default:
      return trans().__('unknown');
  }
}

/**
 * The post-mortem of a kernel that died: "The kernel stopped at 23.1 GiB
 * of its 24.0 GiB limit while running [12]; largest: df 12.3 GiB, … —
 * likely out of memory."
 */
export function postmortemText(postmortem: Postmortem, named = NAMED): string {
  const rss = formatBytes(postmortem.rss_bytes);
  const at =
    postmortem.limit_bytes !== null
      ? trans().__(
          'The kernel stopped at %1 of its %2 limit',
          rss,
          formatBytes(postmortem.limit_bytes)
        )
      : trans().__('The kernel stopped at %1', rss);
  const count = postmortem.execution_count;
  const cell =
    count === null
      ? ''
      : postmortem.running === false
        ? trans().__(' after running [%1]', count)
        : trans().__(' while running [%1]', count);
  const largest =
    postmortem.top.length > 0
      ? trans().__('; largest: %1', largestText(postmortem.top, named))
      : '';
  const cause = postmortem.likely_oom
    ? trans().__(' — likely out of memory')
    : '';
  return `${at}${cell}${largest}${cause}.`;
}

/**
 * What the guard did: "memlens interrupted [7] at 2.1 GiB (guard level
 * 2.0 GiB); largest: big 1.9 GiB. The kernel and its variables are still
 * there."
 */
export function guardText(data: GuardData, named = NAMED): string {
  const cell =
    data.execution_count !== null
      ? trans().__('memlens interrupted [%1]', data.execution_count)
      : trans().__('memlens interrupted the running cell');
  const level =
    data.interrupted === false
      ? // the cell ended before the interrupt reached it (one long call in C)
        trans().__(
          '%1 passed the guard level %2 (%3) and ended before memlens could interrupt it',
          data.execution_count !== null
            ? trans().__('[%1]', data.execution_count)
            : trans().__('The cell'),
          formatBytes(data.interrupt_at_bytes),
          formatBytes(data.rss_bytes)
        )
      : trans().__(
          '%1 at %2 (guard level %3)',
          cell,
          formatBytes(data.rss_bytes),
          formatBytes(data.interrupt_at_bytes)
        );
  const largest =
    data.top.length > 0
      ? trans().__('; largest: %1', largestText(data.top, named))
      : '';
  return `${level}${largest}. ${trans().__(
    'The kernel and its variables are still there.'
  )}`;
}

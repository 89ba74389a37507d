import type { Cluster, ClusterWorker } from '../../kernel/protocol.generated';
import type { INotebookMemlens } from '../../tokens';
import { h, replaceChildren } from '../dom';
import { formatBytes } from '../format';
import { Section } from './section';
import { trans } from '../../common/i18n';

/** The parts of a worker's bar, in drawing order (class, tooltip). */
const PARTS: readonly [keyof ClusterWorker, string, () => string][] = [
  [
    'managed_bytes',
    'managed',
    () => trans().__('Data dask manages, in memory')
  ],
  [
    'unmanaged_bytes',
    'unmanaged',
    () => trans().__('Process memory dask does not manage')
  ],
  ['spilled_bytes', 'spilled', () => trans().__('Managed data spilled to disk')]
];

/**
 * Memory of the dask.distributed workers behind each `distributed.Client`
 * in the namespace, as their scheduler reports it. Hidden when there is none.
 */
export class ClusterSection extends Section {
  constructor() {
    super(trans().__('Cluster'), 'cluster');
    this.hide();
  }

  set model(model: INotebookMemlens | null) {
    this._model = model;
    this.render();
  }

  render(): void {
    const clusters = this._model?.live.snapshot?.clusters ?? [];
    this.setHidden(clusters.length === 0);
    replaceChildren(this.body, clusters.map(renderCluster));
  }

  private _model: INotebookMemlens | null = null;
}

/** One cluster: header (variable, totals, dashboard link) and a row per worker. */
function renderCluster(cluster: Cluster): HTMLElement {
  const total = cluster.memory_limit
    ? trans().__(
        '%1 of %2',
        formatBytes(cluster.memory_bytes),
        formatBytes(cluster.memory_limit)
      )
    : formatBytes(cluster.memory_bytes);
  const head = h('div', { className: 'jp-memlens-cluster-head' }, [
    h('span', {
      className: 'jp-memlens-cluster-name',
      text: cluster.variable,
      title: cluster.scheduler ?? ''
    }),
    cluster.error
      ? null
      : h('span', {
          className: 'jp-memlens-cluster-total',
          text: trans().__('%1 workers, %2', cluster.workers.length, total)
        }),
    dashboardLink(cluster.dashboard)
  ]);
  const body = cluster.error
    ? [
        h('div', {
          className: 'jp-memlens-cluster-error',
          text: trans().__(
            'Scheduler %1: %2',
            cluster.scheduler ?? '',
            cluster.error
          )
        })
      ]
    : cluster.workers.map(renderWorker);
  return h('div', { className: 'jp-memlens-cluster' }, [head, ...body]);
}

/** An `<a>` to the dashboard, only for http(s) links. */
function dashboardLink(href: string | null): HTMLElement | null {
  if (!href || !/^https?:\/\//i.test(href)) {
    return null;
  }
  return h('a', {
    className: 'jp-memlens-cluster-dashboard',
    text: trans().__('Dashboard'),
    title: href,
    attrs: { href, target: '_blank', rel: 'noopener noreferrer' }
  });
}

/** One worker: name, stacked bar against its limit, numbers. */
function renderWorker(worker: ClusterWorker): HTMLElement {
  // Without a limit the bar's scale is the worker's own total.
  const scale =
    worker.memory_limit ?? worker.memory_bytes + worker.spilled_bytes;
  const bar = h('div', { className: 'jp-memlens-cluster-bar' });
  for (const [key, part, title] of PARTS) {
    const bytes = worker[key] as number;
    const segment = h('div', {
      className: `jp-memlens-cluster-${part}`,
      title: `${title()}: ${formatBytes(bytes)}`
    });
    segment.style.width = `${scale > 0 ? Math.min(100, (100 * bytes) / scale) : 0}%`;
    bar.append(segment);
  }
  const limit = worker.memory_limit
    ? ` / ${formatBytes(worker.memory_limit)}`
    : trans().__(' (no limit)');
  const numbers = [
    `${formatBytes(worker.memory_bytes)}${limit}`,
    trans().__('managed %1', formatBytes(worker.managed_bytes)),
    trans().__('unmanaged %1', formatBytes(worker.unmanaged_bytes)),
    worker.spilled_bytes
      ? trans().__('spilled %1', formatBytes(worker.spilled_bytes))
      : ''
  ];
  return h(
    'div',
    {
      className: 'jp-memlens-cluster-worker',
      attrs: { 'data-memlens-worker': worker.address }
    },
    [
      h('div', {
        className: 'jp-memlens-cluster-worker-name',
        text: worker.name,
        title: worker.address
      }),
      bar,
      h('div', {
        className: 'jp-memlens-cluster-numbers',
        text: numbers.filter(Boolean).join(' · ')
      })
    ]
  );
}

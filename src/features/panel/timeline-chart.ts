import type { TimelineEntry } from '../../kernel/protocol';
import { formatBytes, formatDelta } from '../format';
import { trans } from '../../common/i18n';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 300;
const HEIGHT = 80;

/** What clicking a point of the chart does. */
export type SelectExecution = (entry: TimelineEntry) => void;

/**
 * The memory timeline: one point per executed cell (memory after it) and a
 * tick for its peak; runs with a per-line profile get a ring. Hover shows
 * cell number, delta and peak; click selects the cell.
 */
export function renderTimeline(
  entries: readonly TimelineEntry[],
  onSelect: SelectExecution,
  isProfiled: (entry: TimelineEntry) => boolean = () => false
): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('class', 'jp-memlens-timeline');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', trans().__('Memory after each executed cell'));
  const values = entries.flatMap(e => [e.rss_after ?? 0, e.peak_rss ?? 0]);
  const max = Math.max(1, ...values);
  const min = Math.min(
    max,
    ...entries.map(e => e.rss_before ?? e.rss_after ?? max)
  );
  const span = Math.max(1, max - min);
  const step = entries.length > 1 ? WIDTH / (entries.length - 1) : 0;
  const x = (i: number) => (entries.length > 1 ? i * step : WIDTH / 2);
  const y = (bytes: number) =>
    HEIGHT - 6 - ((bytes - min) / span) * (HEIGHT - 12);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('class', 'jp-memlens-timeline-line');
  line.setAttribute(
    'points',
    entries.map((e, i) => `${x(i)},${y(e.rss_after ?? min)}`).join(' ')
  );
  svg.appendChild(line);
  entries.forEach((entry, i) => {
    if (
      entry.peak_rss !== null &&
      entry.rss_after !== null &&
      entry.peak_rss > entry.rss_after
    ) {
      const peak = document.createElementNS(SVG, 'line');
      peak.setAttribute('class', 'jp-memlens-timeline-peak');
      peak.setAttribute('x1', String(x(i)));
      peak.setAttribute('x2', String(x(i)));
      peak.setAttribute('y1', String(y(entry.rss_after)));
      peak.setAttribute('y2', String(y(entry.peak_rss)));
      svg.appendChild(peak);
    }
    const profiled = isProfiled(entry);
    if (profiled) {
      const ring = document.createElementNS(SVG, 'circle');
      ring.setAttribute('class', 'jp-memlens-timeline-profiled');
      ring.setAttribute('cx', String(x(i)));
      ring.setAttribute('cy', String(y(entry.rss_after ?? min)));
      ring.setAttribute('r', '6');
      svg.appendChild(ring);
    }
    const point = document.createElementNS(SVG, 'circle');
    point.setAttribute('class', 'jp-memlens-timeline-point');
    point.setAttribute('cx', String(x(i)));
    point.setAttribute('cy', String(y(entry.rss_after ?? min)));
    point.setAttribute('r', '3');
    const title = document.createElementNS(SVG, 'title');
    title.textContent =
      describeEntry(entry) +
      (profiled ? trans().__(' · line profile recorded') : '');
    point.appendChild(title);
    point.addEventListener('click', () => onSelect(entry));
    svg.appendChild(point);
  });
  return svg;
}

/** `[12] +150.0 MiB, peak 400.0 MiB` — the hover text of one execution. */
export function describeEntry(entry: TimelineEntry): string {
  const delta =
    entry.rss_after !== null && entry.rss_before !== null
      ? entry.rss_after - entry.rss_before
      : null;
  const label =
    entry.execution_count !== null ? `[${entry.execution_count}]` : '[ ]';
  return trans().__(
    '%1 %2, after %3, peak %4',
    label,
    formatDelta(delta),
    formatBytes(entry.rss_after),
    formatBytes(entry.peak_rss)
  );
}

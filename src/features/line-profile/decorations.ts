import {
  EditorState,
  Extension,
  RangeSet,
  StateEffect,
  StateField,
  Text
} from '@codemirror/state';
import {
  Decoration,
  DecorationSet,
  EditorView,
  GutterMarker,
  WidgetType,
  gutter
} from '@codemirror/view';
import type { ProfileLine, ProfileMethod } from '../../kernel/protocol';
import { formatBytes, formatDelta } from '../format';
import { trans } from '../../common/i18n';

/** Heat levels of the gutter mark: 1 (cool) to 4 (the cell's peak line). */
export const HEAT_LEVELS = 4;

/** One cell's profiled lines and the method that measured them. */
export interface IShownLineProfile {
  readonly lines: readonly ProfileLine[];
  /** `tracemalloc` (exact) or `sampled` (coarse); exact when absent. */
  readonly method?: ProfileMethod;
}

/**
 * `+76.3 MiB · peak 152.6 MiB · ×3`: what a profiled line shows at its end.
 * The count appears only for lines that ran more than once; `≥` when a hot
 * loop stopped per-line tracing. A sampled profile's numbers start with
 * `≈`: they are resident memory read every few milliseconds.
 */
export function lineProfileText(
  entry: ProfileLine,
  method: ProfileMethod = 'tracemalloc'
): string {
  const parts = [
    (method === 'sampled' ? '≈' : '') + formatDelta(entry.net_bytes)
  ];
  if (entry.peak_bytes > Math.max(entry.net_bytes, 0)) {
    parts.push(trans().__('peak %1', formatBytes(entry.peak_bytes)));
  }
  if (entry.count > 1 || entry.count_partial) {
    parts.push(`×${entry.count_partial ? '≥' : ''}${entry.count}`);
  }
  return parts.join(' · ');
}

/**
 * The tooltip of a profiled line: the same facts in a sentence, and the
 * method that measured them.
 */
export function lineProfileTitle(
  entry: ProfileLine,
  method: ProfileMethod = 'tracemalloc'
): string {
  const runs = entry.count_partial
    ? trans().__('ran at least %1 times', entry.count)
    : trans()._n('ran once', 'ran %1 times', entry.count);
  if (method === 'sampled') {
    return trans().__(
      'Line %1: resident memory grew %2 while it ran; at most %3 above where it started; %4. Sampled profile: coarse (resident memory read every few milliseconds; lines under 1 MiB are left out, memory the allocator keeps is not seen as freed).',
      entry.line,
      formatDelta(entry.net_bytes),
      formatBytes(entry.peak_bytes),
      runs
    );
  }
  return trans().__(
    'Line %1: %2 still held when the cell ended; at most %3 held at once while it ran; %4. Exact profile (traced allocations).',
    entry.line,
    formatDelta(entry.net_bytes),
    formatBytes(entry.peak_bytes),
    runs
  );
}

/**
 * Heat of a line for the gutter: its peak relative to the cell's biggest
 * line peak, in `HEAT_LEVELS` steps (the biggest line is always the hottest).
 */
export function heatLevel(peakBytes: number, maxPeakBytes: number): number {
  if (maxPeakBytes <= 0 || peakBytes <= 0) {
    return 1;
  }
  const ratio = Math.min(1, peakBytes / maxPeakBytes);
  return Math.max(1, Math.ceil(ratio * HEAT_LEVELS));
}

/** Show these profiled lines in a cell editor (null clears them). */
export const setLineProfile = StateEffect.define<IShownLineProfile | null>();

interface IProfileMarks {
  readonly widgets: DecorationSet;
  readonly gutter: RangeSet<GutterMarker>;
}

const EMPTY: IProfileMarks = {
  widgets: Decoration.none,
  gutter: RangeSet.empty
};

/**
 * The decorations of `lines` in `doc`: a widget at the end of each profiled
 * line and a gutter heat mark. Lines beyond the document are skipped.
 */
export function profileMarks(
  doc: Text,
  lines: readonly ProfileLine[],
  method: ProfileMethod = 'tracemalloc'
): IProfileMarks {
  const shown = lines
    .filter(entry => entry.line >= 1 && entry.line <= doc.lines)
    .sort((a, b) => a.line - b.line);
  if (shown.length === 0) {
    return EMPTY;
  }
  const maxPeak = Math.max(...shown.map(entry => entry.peak_bytes));
  const widgets = [];
  const marks = [];
  for (const entry of shown) {
    const line = doc.line(entry.line);
    const heat = heatLevel(entry.peak_bytes, maxPeak);
    widgets.push(
      Decoration.widget({
        widget: new LineProfileWidget(entry, heat, method),
        side: 1
      }).range(line.to)
    );
    marks.push(
      new HeatMarker(heat, lineProfileTitle(entry, method)).range(line.from)
    );
  }
  return {
    widgets: Decoration.set(widgets),
    gutter: RangeSet.of(marks)
  };
}

/**
 * The profile shown in one editor. Any edit of the text clears it: the
 * numbers belong to the source that ran.
 */
const profileField = StateField.define<IProfileMarks>({
  create: () => EMPTY,
  update(value, transaction) {
    for (const effect of transaction.effects) {
      if (effect.is(setLineProfile)) {
        return effect.value
          ? profileMarks(
              transaction.state.doc,
              effect.value.lines,
              effect.value.method
            )
          : EMPTY;
      }
    }
    return transaction.docChanged ? EMPTY : value;
  },
  provide: field => EditorView.decorations.from(field, marks => marks.widgets)
});

/** The CodeMirror extension that shows line profiles (field + gutter). */
export function lineProfileExtension(): Extension {
  return [
    profileField,
    gutter({
      class: 'jp-memlens-profile-gutter',
      markers: view => view.state.field(profileField).gutter
    })
  ];
}

/** How many profiled lines `state` shows (0 when none or not installed). */
export function shownProfileLines(state: EditorState): number {
  return state.field(profileField, false)?.widgets.size ?? 0;
}

class LineProfileWidget extends WidgetType {
  constructor(
    readonly entry: ProfileLine,
    readonly heat: number,
    readonly method: ProfileMethod
  ) {
    super();
  }

  eq(other: LineProfileWidget): boolean {
    return (
      other.heat === this.heat &&
      other.method === this.method &&
      lineProfileText(other.entry) === lineProfileText(this.entry)
    );
  }

  toDOM(): HTMLElement {
    const node = document.createElement('span');
    node.className = `jp-memlens-line-profile jp-memlens-heat-${this.heat}`;
    node.dataset.memlensLine = String(this.entry.line);
    node.dataset.memlensMethod = this.method;
    node.textContent = lineProfileText(this.entry, this.method);
    node.title = lineProfileTitle(this.entry, this.method);
    return node;
  }

  ignoreEvent(): boolean {
    return false;
  }
}

class HeatMarker extends GutterMarker {
  constructor(
    readonly heat: number,
    readonly title: string
  ) {
    super();
    this.elementClass = `jp-memlens-heat-mark jp-memlens-heat-${heat}`;
  }

  eq(other: HeatMarker): boolean {
    return other.heat === this.heat && other.title === this.title;
  }

  toDOM(): Node {
    const node = document.createElement('span');
    node.className = 'jp-memlens-heat-bar';
    node.title = this.title;
    return node;
  }

  readonly elementClass: string;
}

import { EditorState, Text } from '@codemirror/state';
import type { ProfileLine } from '../../../kernel/protocol';
import {
  heatLevel,
  lineProfileExtension,
  lineProfileText,
  lineProfileTitle,
  profileMarks,
  setLineProfile,
  shownProfileLines
} from '../decorations';

const MiB = 1024 * 1024;
const line = (overrides: Partial<ProfileLine>): ProfileLine => ({
  line: 1,
  net_bytes: 0,
  peak_bytes: 0,
  count: 1,
  ...overrides
});

describe('lineProfileText', () => {
  it('shows net, then the peak only when it exceeds net', () => {
    expect(
      lineProfileText(line({ net_bytes: 80 * MiB, peak_bytes: 80 * MiB }))
    ).toBe('+80.0 MiB');
    expect(lineProfileText(line({ net_bytes: 0, peak_bytes: 160 * MiB }))).toBe(
      '+0 B · peak 160.0 MiB'
    );
  });

  it('shows how often a line ran, as a lower bound for a cut loop', () => {
    expect(
      lineProfileText(line({ net_bytes: 2048, peak_bytes: 2048, count: 3 }))
    ).toBe('+2.0 KiB · ×3');
    expect(
      lineProfileText(
        line({
          net_bytes: -2048,
          peak_bytes: 4096,
          count: 10,
          count_partial: true
        })
      )
    ).toBe('-2.0 KiB · peak 4.0 KiB · ×≥10');
  });

  it('says it in a sentence for the tooltip', () => {
    expect(
      lineProfileTitle(
        line({ line: 4, net_bytes: MiB, peak_bytes: 2 * MiB, count: 2 })
      )
    ).toBe(
      'Line 4: +1.0 MiB still held when the cell ended; at most 2.0 MiB held at once while it ran; ran 2 times. Exact profile (traced allocations).'
    );
  });

  it('marks sampled numbers as approximate and says the method is coarse', () => {
    const entry = line({
      line: 2,
      net_bytes: 80 * MiB,
      peak_bytes: 80 * MiB,
      count: 1
    });
    expect(lineProfileText(entry, 'sampled')).toBe('≈+80.0 MiB');
    expect(lineProfileText(entry, 'tracemalloc')).toBe('+80.0 MiB');
    const title = lineProfileTitle(entry, 'sampled');
    expect(title).toMatch(/^Line 2: resident memory grew \+80\.0 MiB/);
    expect(title).toContain('Sampled profile: coarse');
    expect(lineProfileTitle(entry)).toContain('Exact profile');
  });
});

describe('heatLevel', () => {
  it('gives the biggest peak the top level and scales the rest', () => {
    expect(heatLevel(100, 100)).toBe(4);
    expect(heatLevel(60, 100)).toBe(3);
    expect(heatLevel(30, 100)).toBe(2);
    expect(heatLevel(1, 100)).toBe(1);
    expect(heatLevel(0, 0)).toBe(1);
  });
});

describe('profileMarks', () => {
  const doc = Text.of(['a = 1', 'b = np.ones(10)', '', 'c = b * 2']);

  it('puts one widget at the end and one gutter mark per profiled line', () => {
    const marks = profileMarks(doc, [
      line({ line: 4, net_bytes: MiB, peak_bytes: 2 * MiB }),
      line({ line: 2, net_bytes: 8 * MiB, peak_bytes: 8 * MiB })
    ]);
    const ends: number[] = [];
    marks.widgets.between(0, doc.length, from => {
      ends.push(from);
    });
    expect(ends).toEqual([doc.line(2).to, doc.line(4).to]);
    const starts: number[] = [];
    marks.gutter.between(0, doc.length, from => {
      starts.push(from);
    });
    expect(starts).toEqual([doc.line(2).from, doc.line(4).from]);
  });

  it('names the method on each mark', () => {
    const marks = profileMarks(
      doc,
      [line({ line: 2, net_bytes: 8 * MiB, peak_bytes: 8 * MiB })],
      'sampled'
    );
    // no DOM in these node tests: a bare element is all toDOM touches
    const fakeDocument = {
      createElement: () => ({ dataset: {} }) as unknown as HTMLElement
    };
    (globalThis as { document?: unknown }).document = fakeDocument;
    const nodes: HTMLElement[] = [];
    try {
      marks.widgets.between(0, doc.length, (_from, _to, value) => {
        nodes.push(value.spec.widget.toDOM());
      });
    } finally {
      delete (globalThis as { document?: unknown }).document;
    }
    expect(nodes).toHaveLength(1);
    expect(nodes[0].dataset.memlensMethod).toBe('sampled');
    expect(nodes[0].dataset.memlensLine).toBe('2');
    expect(nodes[0].textContent).toBe('≈+8.0 MiB');
    expect(nodes[0].title).toContain('Sampled profile');
  });

  it('skips lines the document does not have', () => {
    const marks = profileMarks(doc, [line({ line: 9, net_bytes: MiB })]);
    expect(marks.widgets.size).toBe(0);
  });
});

describe('lineProfileExtension', () => {
  const lines = [line({ line: 1, net_bytes: MiB, peak_bytes: MiB })];

  it('shows a profile until the text is edited', () => {
    let state = EditorState.create({
      doc: 'x = make()\ny = 2',
      extensions: lineProfileExtension()
    });
    expect(shownProfileLines(state)).toBe(0);
    state = state.update({ effects: setLineProfile.of({ lines }) }).state;
    expect(shownProfileLines(state)).toBe(1);
    // moving the cursor keeps it
    state = state.update({ selection: { anchor: 3 } }).state;
    expect(shownProfileLines(state)).toBe(1);
    state = state.update({ changes: { from: 0, insert: '#' } }).state;
    expect(shownProfileLines(state)).toBe(0);
  });

  it('is cleared by a null profile', () => {
    let state = EditorState.create({
      doc: 'x = make()',
      extensions: lineProfileExtension()
    });
    state = state.update({ effects: setLineProfile.of({ lines }) }).state;
    state = state.update({ effects: setLineProfile.of(null) }).state;
    expect(shownProfileLines(state)).toBe(0);
  });
});

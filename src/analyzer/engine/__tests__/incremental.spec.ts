/**
 * Incremental analysis must find exactly what a cold analysis finds: the
 * benchmark notebook (plus every rule's documented examples, so each rule
 * has findings) is edited cell by cell and re-analyzed by one long-lived
 * analyzer, and every run is compared with a fresh analyzer's.
 */
import { analyzeCells, ICellInput, NotebookAnalyzer } from '../engine';
import { ALL_RULES } from '../../rules';
import { testParser } from '../../__tests__/harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bench = require('../../../../bench/analyzer/notebook') as {
  makeCells(count: number): ICellInput[];
};

/** The benchmark's cells with each rule's bad and good examples mixed in. */
function notebook(count: number): ICellInput[] {
  const cells = bench.makeCells(count);
  ALL_RULES.forEach((rule, i) => {
    cells.splice(3 + i * 11, 0, { kind: 'code', source: rule.docs.bad });
    cells.splice(8 + i * 11, 0, { kind: 'code', source: rule.docs.good });
  });
  return cells.map((cell, i) => ({ ...cell, id: `cell-${i}` }));
}

/** Edits a user makes while typing, moving, adding and deleting cells. */
const EDITS: ((cells: ICellInput[]) => void)[] = [
  cells => {
    cells[4] = { ...cells[4], source: cells[4].source + '\nedit_0 = 0' };
  },
  cells => {
    cells.splice(12, 0, {
      kind: 'code',
      id: 'new-1',
      source:
        'import gc\ngc.disable()\nlarge = np.zeros((10_000, 10_000))\nlarge'
    });
  },
  cells => {
    const [moved] = cells.splice(30, 1);
    cells.splice(2, 0, moved);
  },
  cells => {
    cells.splice(40, 1);
  },
  cells => {
    const i = cells.findIndex(c => c.source.includes('history = []'));
    cells[i] = { ...cells[i], source: cells[i].source + '\nhistory.clear()' };
  },
  cells => {
    const i = cells.findIndex(c => c.source.includes('raw = pd.read_csv'));
    cells[i] = { ...cells[i], source: cells[i].source + '\ndel raw' };
  },
  cells => {
    cells[6] = { ...cells[6], source: 'def broken(:\n    pass' };
  },
  // Largeness flips early in the notebook, changing what later cells hold.
  cells => {
    const i = cells.findIndex(c =>
      c.source.includes('pd.read_csv("data/part_')
    );
    cells[i] = {
      ...cells[i],
      source: cells[i].source.replace('pd.read_csv("data/part_', 'len("')
    };
  },
  cells => {
    const i = cells.findIndex(c => c.source.includes('len("'));
    cells[i] = {
      ...cells[i],
      source: cells[i].source.replace('len("', 'pd.read_csv("data/part_')
    };
  },
  cells => {
    cells.splice(1, 0, {
      kind: 'code',
      id: 'early-reset',
      source: '%reset -f\nimport pandas as pd'
    });
  },
  cells => {
    cells.push({
      kind: 'code',
      id: 'last',
      source: 'SPLITS.append("x")\nprint(raw_0, grid_1)\neval("x")'
    });
  }
];

describe('incremental analysis', () => {
  it('finds the same as a cold analysis after every edit', async () => {
    const parser = await testParser();
    const cells = notebook(120);
    const analyzer = new NotebookAnalyzer(parser, ALL_RULES);
    try {
      const first = analyzer.analyze(cells);
      expect(first).toEqual(analyzeCells(parser, cells, { rules: ALL_RULES }));
      expect(new Set(first.map(f => f.rule)).size).toBeGreaterThan(15);
      for (const edit of EDITS) {
        edit(cells);
        const incremental = analyzer.analyze(cells);
        expect(analyzer.stats.parsed).toBeLessThanOrEqual(1);
        expect(incremental).toEqual(
          analyzeCells(parser, cells, { rules: ALL_RULES })
        );
      }
      // Without ids, cells are matched by position and source.
      const anonymous = cells.map(({ kind, source }) => ({ kind, source }));
      const shifted = [
        { kind: 'code' as const, source: 'x = 1' },
        ...anonymous
      ];
      analyzer.analyze(anonymous);
      expect(analyzer.analyze(shifted)).toEqual(
        analyzeCells(parser, shifted, { rules: ALL_RULES })
      );
    } finally {
      analyzer.dispose();
    }
  });

  it('re-parses an edited cell from its previous tree, to the same findings', async () => {
    const parser = await testParser();
    const base = [
      'import numpy as np',
      'label = "größe ✓ 😀"',
      'report = ""',
      'for row in rows:',
      '    report += f"{row}\\n"',
      'f = open("x.txt")'
    ].join('\n');
    // typing at the end, in the middle, across lines, deleting, undoing
    const versions = [
      base + '\nx = 1',
      base.replace('report += ', 'report = report + '),
      base.replace('for row in rows:\n', 'for row in rows:\n    if row:\n    '),
      base.replace('import numpy as np\n', ''),
      base.replace('😀', '😀😀 ñ'),
      'def broken(:\n' + base,
      base
    ];
    const analyzer = new NotebookAnalyzer(parser, ALL_RULES);
    try {
      analyzer.analyze([{ kind: 'code', id: 'c', source: base }]);
      for (const source of versions) {
        const cells: ICellInput[] = [{ kind: 'code', id: 'c', source }];
        const incremental = analyzer.analyze(cells);
        expect(analyzer.stats).toMatchObject({ parsed: 1, incremental: 1 });
        expect(incremental).toEqual(
          analyzeCells(parser, cells, { rules: ALL_RULES })
        );
      }
    } finally {
      analyzer.dispose();
    }
  });
});

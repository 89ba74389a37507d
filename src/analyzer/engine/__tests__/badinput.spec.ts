import fc from 'fast-check';
import { NotebookAnalyzer } from '../engine';
import { ALL_RULES } from '../../rules';
import { codeCells, testParser } from '../../__tests__/harness';

/** Analyze with every rule; returns elapsed ms and contained failures. */
async function analyze(
  sources: string[]
): Promise<{ ms: number; failures: string[] }> {
  const analyzer = new NotebookAnalyzer(await testParser(), ALL_RULES);
  const start = performance.now();
  try {
    analyzer.analyze(codeCells(sources));
    return { ms: performance.now() - start, failures: analyzer.stats.failures };
  } finally {
    analyzer.dispose();
  }
}

const REAL_CELLS = [
  'import pandas as pd\nimport numpy as np\ndf = pd.read_csv("data.csv")\ndf.head()',
  's = ""\nfor row in rows:\n    s += f"{row}\\n"\n',
  'results = []\ndef step(x):\n    results.append(x * 2)\n    return x',
  'with open("f.txt") as fh:\n    data = fh.read()\nlines = data.splitlines()',
  'class P:\n    def __init__(self, x):\n        self.x = x\npoints = [P(i) for i in range(10)]',
  '%matplotlib inline\nimport matplotlib.pyplot as plt\nfor i in range(3):\n    fig = plt.figure()\n    plt.plot([1, 2])',
  '%%time\nimport gc\ngc.disable()\ntotal = sum([x for x in range(10)])',
  'files = !ls\nfor f in files:\n    print(f)  # memlens: ignore',
  'df = pd.concat([df, other])\narr = np.append(arr, [1])\nx = list(sorted(y))'
];

describe('bad input never throws or hangs', () => {
  it('a 100k-line cell (skipped as too large, the others analyzed)', async () => {
    const cell = 'x = x + 1\ns = f"{x}" + s\n'.repeat(50_000);
    const { ms, failures } = await analyze([cell, 'print(x)']);
    expect(failures).toEqual(['too-large']);
    expect(ms).toBeLessThan(2_000);
  });

  it('a 5k-line cell is analyzed', async () => {
    const cell = 'x = x + 1\ns = f"{x}" + s\n'.repeat(2_500);
    const { ms, failures } = await analyze([cell, 'print(x)']);
    expect(failures).toEqual([]);
    expect(ms).toBeLessThan(10_000);
  }, 20_000);

  it.each([
    ['parentheses', '('.repeat(10_000) + '1' + ')'.repeat(10_000)],
    ['lists', 'x = ' + '['.repeat(10_000) + ']'.repeat(10_000)],
    ['unclosed brackets', 'x = ' + '(['.repeat(5_000)],
    ['calls', 'y = ' + 'f('.repeat(10_000) + ')'.repeat(10_000)],
    ['calls, 900 deep (analyzed)', 'y = ' + 'f('.repeat(900) + ')'.repeat(900)],
    [
      'blocks',
      Array.from({ length: 1_000 }, (_, i) => ' '.repeat(i) + 'if x:').join(
        '\n'
      ) +
        '\n' +
        ' '.repeat(1_000) +
        'pass'
    ]
  ])(
    '10k-deep nesting: %s',
    async (_, source) => {
      const { ms } = await analyze([source]);
      expect(ms).toBeLessThan(10_000);
    },
    20_000
  );

  it('binary junk and Python 2', async () => {
    const junk = Array.from({ length: 20_000 }, (_, i) =>
      String.fromCharCode((i * 7919) % 65_536)
    ).join('');
    const py2 =
      'print "hello"\nexec "x = 1"\nraise ValueError, "bad"\nprint >>sys.stderr, x\nd.has_key(1)\nx = 0777\nu = ur"x"\n`x`';
    expect(
      (
        await analyze([
          junk,
          py2,
          '\u0000\u0001\ufffd',
          '\ud800 lone surrogate'
        ])
      ).ms
    ).toBeLessThan(10_000);
  }, 20_000);

  it('fuzz: mutated real cells', async () => {
    const alphabet = fc.constantFrom(
      ...'()[]{}:=+-*/%!?@#\'"\\\n\t ,.;xyz019_'.split(''),
      '%%time\n',
      '%%bash\n',
      '!',
      '"""',
      'for ',
      'def ',
      'lambda',
      '\u00e9',
      '\ud83d\ude00',
      'del ',
      '# memlens: ignore['
    );
    const mutation = fc.record({
      cell: fc.nat(),
      at: fc.nat(),
      remove: fc.nat({ max: 8 }),
      insert: fc.array(alphabet, { maxLength: 6 }).map(parts => parts.join(''))
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        async mutations => {
          const cells = [...REAL_CELLS];
          for (const m of mutations) {
            const i = m.cell % cells.length;
            const at = m.at % (cells[i].length + 1);
            cells[i] =
              cells[i].slice(0, at) + m.insert + cells[i].slice(at + m.remove);
          }
          const { ms } = await analyze(cells);
          expect(ms).toBeLessThan(2_000);
        }
      ),
      { numRuns: 150, seed: 20261126 }
    );
  }, 30_000);
});

import { analyzeCells } from '../engine';
import { ML201 } from '../rules/ML201-dead-variable';
import {
  applyEdits,
  check,
  codeCells,
  parsesCleanly,
  testParser
} from './harness';

const LOAD = 'import pandas as pd\ndf = pd.read_csv("big.csv")';

describe('ML201 dead-variable', () => {
  it('flags a large producer not read after its last use, with del fix and action', async () => {
    const sources = [LOAD, 'total = df["x"].sum()  # last use', 'print(total)'];
    const [finding, ...rest] = await check(ML201, sources);
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({
      rule: 'ML201',
      cell: 0,
      line: 1,
      column: 0,
      endColumn: 2,
      action: { kind: 'delete', name: 'df' }
    });
    expect(finding.message).toContain('`df`');
    const fixed = applyEdits(sources, finding.fix!.edits);
    expect(fixed[1]).toBe('total = df["x"].sum()  # last use\ndel df');
    expect(await parsesCleanly(fixed[1])).toBe(true);
    expect(await check(ML201, fixed)).toHaveLength(0);
  });

  it('flags a value that is never read at its binding, fix after the binding', async () => {
    const sources = [
      'import numpy as np\ngrid = np.zeros((10_000, 10_000))\nn = 3',
      'n'
    ];
    const [finding] = await check(ML201, sources);
    expect(finding).toMatchObject({ cell: 0, line: 1 });
    const fixed = applyEdits(sources, finding.fix!.edits);
    expect(fixed[0]).toBe(
      'import numpy as np\ngrid = np.zeros((10_000, 10_000))\ndel grid\nn = 3'
    );
    expect(await check(ML201, fixed)).toHaveLength(0);
  });

  it.each([
    ['comprehension over a large range', 'xs = [i * i for i in range(10**7)]'],
    ['open().read()', 'text = open("log.txt").read()'],
    ['np.load', 'import numpy as np\narr = np.load("a.npy")'],
    [
      'a transform of a large name',
      `${LOAD}\nclean = df.dropna().copy()\ndel df`
    ],
    [
      'whole-array arithmetic',
      'import numpy as np\na = np.ones((5000, 5000))\nb = a * 2\ndel a'
    ]
  ])('flags %s', async (_, source) => {
    expect(await check(ML201, [source, 'pass'])).toHaveLength(1);
  });

  it.each([
    ['names read later', [LOAD, 'm = df.x.mean()', 'print(df.shape)']],
    [
      'names used by a function defined in the notebook',
      [LOAD, 'def f():\n    return df.x.sum()', 'f()']
    ],
    [
      '_-prefixed throwaways',
      ['import pandas as pd\n_tmp = pd.read_csv("a.csv")', 'pass']
    ],
    ['names in the last cell', ['x = 1', LOAD]],
    ['names read in the last cell', [LOAD, 'x = 1', 'print(df)']],
    ['non-producers', ['config = {"a": 1}\nn = 10', 'pass']],
    [
      'reductions of a large name',
      [`${LOAD}\nmean = df.x.mean()\nsize = len(df)\ndel df`, 'pass']
    ],
    [
      'small literal allocations',
      ['import numpy as np\nv = np.zeros(3)', 'pass']
    ],
    ['names deleted later', [LOAD, 'del df', 'pass']],
    ['rebound later (not large)', [LOAD, 'df = df.head()', 'pass']],
    [
      'notebooks that read names dynamically',
      [LOAD, 'pass', 'print(globals()["df"])']
    ],
    [
      'imports, defs and loop variables',
      ['import numpy as np\nfor row in np.zeros((9999, 9999)): pass', 'pass']
    ]
  ])('does not flag %s', async (_, sources) => {
    expect(await check(ML201, sources as string[])).toHaveLength(0);
  });

  it('gives no text fix when the last use is the displayed cell result', async () => {
    const [finding] = await check(ML201, [LOAD, 'df.describe()', 'pass']);
    expect(finding.fix).toBeNull();
    expect(finding.action).toEqual({ kind: 'delete', name: 'df' });
  });

  it('uses live sizes when the kernel gives them', async () => {
    const parser = await testParser();
    const cells = codeCells([
      'model = build()\n_cache = make()\nsmall = pd.read_csv("a.csv")',
      'pass'
    ]);
    const sizes = new Map([
      ['model', 200 * 2 ** 20],
      ['_cache', 300 * 2 ** 20],
      ['small', 1000]
    ]);
    const findings = analyzeCells(parser, cells, {
      rules: [ML201],
      live: { sizes }
    });
    expect(findings.map(f => f.action?.name)).toEqual(['model', '_cache']);
    expect(findings[0].message).toContain('200.0 MiB');
  });
});

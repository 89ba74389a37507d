import { analyzeCells } from '../../../engine/engine';
import { ML202 } from '../ML202-displayed-large-result';
import {
  applyEdits,
  check,
  codeCells,
  parsesCleanly,
  testParser
} from '../../../__tests__/harness';

const LOAD = 'import pandas as pd\ndf = pd.read_csv("big.csv")';

describe('ML202 displayed-large-result', () => {
  it('flags a large frame displayed then rebound later, fixed with display()', async () => {
    const sources = [`${LOAD}\ndf  # look`, 'df = df.dropna()'];
    const [finding, ...rest] = await check(ML202, sources);
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({
      cell: 0,
      line: 2,
      column: 0,
      endColumn: 2
    });
    expect(finding.message).toContain('which cell 2 later rebinds');
    const fixed = applyEdits(sources, finding.fix!.edits);
    expect(fixed[0]).toBe(`${LOAD}\ndisplay(df)  # look`);
    expect(await parsesCleanly(fixed[0])).toBe(true);
    expect(await check(ML202, fixed)).toHaveLength(0);
  });

  it('flags a name deleted later, and large results of bare calls', async () => {
    expect(await check(ML202, [LOAD, 'df', 'del df'])).toHaveLength(1);
    expect(
      await check(ML202, ['import numpy as np\nnp.random.rand(5000, 5000)'])
    ).toHaveLength(1);
    expect(
      await check(ML202, ['import pandas as pd\npd.read_csv("big.csv")'])
    ).toHaveLength(1);
  });

  // rev 2: Out[n] holds the same object as the name: nothing extra.
  it.each([
    ['a bare name never rebound', [LOAD, 'df', 'df.mean()']],
    ['a teaching cell showing a frame', [`${LOAD}\ndf`]],
    [
      'an inplace=True chain',
      [`${LOAD}\ndf.dropna(inplace=True)`, 'df.fillna(0, inplace=True)']
    ],
    ['an aggregate', [`${LOAD}\ndf.groupby("k").agg("sum")`]],
    ['value_counts', [`${LOAD}\ndf["k"].value_counts()`]],
    ['a plot', [`${LOAD}\ndf.plot()`]]
  ])('does not flag %s', async (_, sources) => {
    expect(await check(ML202, sources)).toHaveLength(0);
  });

  it.each([
    ['an expression ending with ;', `${LOAD}\ndf;`],
    ['.head()', `${LOAD}\ndf.head()`],
    ['.describe()', `${LOAD}\ndf.describe()`],
    ['.shape', `${LOAD}\ndf.shape`],
    ['len(...)', `${LOAD}\nlen(df)`],
    ['scalars', 'x = 3\nx'],
    ['display(...)', `${LOAD}\ndisplay(df)`],
    ['a statement that is not an expression', LOAD],
    ['a large name that is not last', `${LOAD}\ndf\nx = 1`]
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML202, source)).toHaveLength(0);
  });

  it('flags a chain written in parentheses over lines, fixed inside them', async () => {
    const sources = [
      LOAD,
      '(df  # the cleaned copy\n   .rename(columns=str.lower)\n   .assign(n=1)\n)'
    ];
    const [finding, ...rest] = await check(ML202, sources);
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({ cell: 1, line: 0, column: 1 });
    // the chain on one line, without its comment
    expect(finding.message).toContain(
      '`df.rename(columns=str.lower).assign(n=1)`'
    );
    const fixed = applyEdits(sources, finding.fix!.edits);
    expect(fixed[1]).toBe(
      '(display(df  # the cleaned copy\n   .rename(columns=str.lower)\n   .assign(n=1))\n)'
    );
    expect(await parsesCleanly(fixed[1])).toBe(true);
    expect(await check(ML202, fixed)).toHaveLength(0);
    expect(await check(ML202, [LOAD, '(df.head())'])).toHaveLength(0);
  });

  it('flags a transposed frame displayed once the name moves on', async () => {
    const [finding, ...rest] = await check(ML202, [
      LOAD,
      'df.T',
      'df = pd.read_csv("other.csv")'
    ]);
    expect(rest).toHaveLength(0);
    expect(finding.message).toContain(
      'displays `df.T`, and cell 3 later rebinds `df`'
    );
    expect(await check(ML202, [LOAD, 'df.T', 'total = df.sum()'])).toHaveLength(
      0
    );
    expect(await check(ML202, [LOAD, 'df.shape', 'del df'])).toHaveLength(0);
  });

  it('flags a displayed view of a large frame once both names move on', async () => {
    const load =
      'import pandas as pd\nkag = pd.read_csv("survey.csv")\ndf = kag.iloc[1:]';
    const [finding, ...rest] = await check(ML202, [
      load,
      'df.T',
      'kag = pd.read_csv("survey.csv")\ndf = kag.iloc[1:]'
    ]);
    expect(rest).toHaveLength(0);
    expect(finding.message).toContain('`df.T` (a view that keeps `kag`)');
    // while kag still holds the frame, Out's view costs nothing extra
    expect(
      await check(ML202, [load, 'df', 'df = df.dropna()', 'kag.describe()'])
    ).toHaveLength(0);
  });

  it('uses live sizes', async () => {
    const parser = await testParser();
    const sizes = new Map([
      ['big', 100 * 2 ** 20],
      ['tiny', 10]
    ]);
    const run = (source: string) =>
      analyzeCells(parser, codeCells(source.split('# %%\n')), {
        rules: [ML202],
        live: { sizes }
      });
    const big = run('big = load()\nbig\n# %%\nbig = None');
    expect(big).toHaveLength(1);
    expect(big[0].message).toContain('100.0 MiB in the kernel');
    expect(run('tiny = load()\ntiny\n# %%\ntiny = None')).toHaveLength(0);
    expect(run('big = load()\nbig')).toHaveLength(0);
  });

  // rev 3 (real notebooks): a call of the notebook's own function is not a
  // library load, whatever its name
  it('does not flag a call of a function the notebook defines (rev 3)', async () => {
    expect(
      await check(ML202, [
        'import pandas as pd',
        'def read_excel(path):\n    print(path)',
        "read_excel('a.xlsx')",
        'x = 1'
      ])
    ).toHaveLength(0);
  });

  it('still flags the library reader imported by name (rev 3)', async () => {
    expect(
      await check(ML202, ['from pandas import read_csv\nread_csv("big.csv")'])
    ).toHaveLength(1);
  });
});

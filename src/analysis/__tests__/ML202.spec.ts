import { analyzeCells } from '../engine';
import { ML202 } from '../rules/ML202-displayed-large-result';
import {
  applyEdits,
  check,
  codeCells,
  parsesCleanly,
  testParser
} from './harness';

const LOAD = 'import pandas as pd\ndf = pd.read_csv("big.csv")';

describe('ML202 displayed-large-result', () => {
  it('flags a large DataFrame shown as the cell result and fixes with ;', async () => {
    const sources = [`${LOAD}\ndf  # look`];
    const [finding, ...rest] = await check(ML202, sources);
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({
      cell: 0,
      line: 2,
      column: 0,
      endColumn: 2
    });
    const fixed = applyEdits(sources, finding.fix!.edits);
    expect(fixed[0]).toBe(`${LOAD}\ndf;  # look`);
    expect(await parsesCleanly(fixed[0])).toBe(true);
    expect(await check(ML202, fixed)).toHaveLength(0);
  });

  it('flags across cells and producer calls', async () => {
    expect(await check(ML202, [LOAD, 'df'])).toHaveLength(1);
    expect(
      await check(ML202, ['import numpy as np\nnp.random.rand(5000, 5000)'])
    ).toHaveLength(1);
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

  it('uses live sizes', async () => {
    const parser = await testParser();
    const sizes = new Map([
      ['big', 100 * 2 ** 20],
      ['tiny', 10]
    ]);
    const run = (source: string) =>
      analyzeCells(parser, codeCells(source), {
        rules: [ML202],
        live: { sizes }
      });
    expect(run('big')).toHaveLength(1);
    expect(run('tiny')).toHaveLength(0);
  });
});

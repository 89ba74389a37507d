import { ML404 } from '../rules/ML404-read-without-dtypes';
import { check } from './harness';

describe('ML404 read-without-dtypes', () => {
  it('flags pd.read_csv with only a path, anchored at the call, as info', async () => {
    const findings = await check(
      ML404,
      'import pandas as pd\ndf = pd.read_csv("trips.csv")\n'
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML404',
      severity: 'info',
      line: 1,
      column: 5,
      endColumn: 29,
      fix: null
    });
    expect(findings[0].message).toContain('`pd.read_csv(...)`');
  });

  it.each([
    [
      'read_table with a separator',
      'df = pd.read_table(path, sep="\\t")\n',
      0,
      5
    ],
    ['read_json', 'events = pd.read_json("events.json", lines=True)\n', 0, 9],
    ['pandas spelled out', 'import pandas\ndf = pandas.read_csv(p)\n', 1, 5],
    [
      'pandas under another alias',
      'import pandas as pds\ndf = pds.read_csv(p)\n',
      1,
      5
    ],
    [
      'read_csv imported by name',
      'from pandas import read_csv\ndf = read_csv(p)\n',
      1,
      5
    ],
    ['engine="c"', 'df = pd.read_csv(p, engine="c")\n', 0, 5],
    ['a call inside an expression', 'n = len(pd.read_csv(p))\n', 0, 8]
  ])('flags %s', async (_, source, line, column) => {
    const findings = await check(ML404, source);
    expect(findings.map(f => [f.line, f.column])).toEqual([[line, column]]);
  });

  it('reports one finding per call', async () => {
    const source = 'a = pd.read_csv(p)\nb = pd.read_csv(q)\n';
    expect((await check(ML404, source)).map(f => f.line)).toEqual([0, 1]);
  });

  it.each([
    ['usecols', 'df = pd.read_csv(p, usecols=["a", "b"])\n'],
    ['dtype', 'df = pd.read_csv(p, dtype={"a": "int32"})\n'],
    ['dtype_backend', 'df = pd.read_csv(p, dtype_backend="pyarrow")\n'],
    [
      'chunksize',
      'for chunk in pd.read_csv(p, chunksize=100_000):\n    pass\n'
    ],
    ['nrows', 'df = pd.read_csv(p, nrows=1000)\n'],
    ['engine="pyarrow"', "df = pd.read_csv(p, engine='pyarrow')\n"],
    ['iterator=True', 'reader = pd.read_csv(p, iterator=True)\n'],
    ['dtype on read_json', 'df = pd.read_json(p, dtype={"a": "int8"})\n'],
    ['**kwargs that may hold any of them', 'df = pd.read_csv(p, **opts)\n'],
    ['another library', 'import polars as pl\ndf = pl.read_csv(p)\n'],
    ['another pandas reader', 'df = pd.read_parquet(p)\n']
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML404, source)).toHaveLength(0);
  });

  it('flags its documented bad example and not the good one', async () => {
    expect(await check(ML404, ML404.docs.bad)).not.toHaveLength(0);
    expect(await check(ML404, ML404.docs.good)).toHaveLength(0);
  });
});

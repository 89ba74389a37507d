import { ML504 } from '../ML504-load-then-aggregate';
import { check } from '../../../__tests__/harness';

const LOAD = 'import pandas as pd\ndf = pd.read_csv("sales.csv")';

describe('ML504 load-then-aggregate', () => {
  it('flags a full read used only for column aggregations', async () => {
    const [finding, ...rest] = await check(ML504, [
      LOAD,
      'total = df["amount"].sum()\navg = df.price.mean()',
      'by = df.groupby("region").agg({"amount": "sum"})\ntop = df[["a", "b"]].max()'
    ]);
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({ cell: 0, line: 1, column: 5 });
    expect(finding.message).toContain('`df`');
  });

  it('leaves files known to be small', async () => {
    expect(
      await check(ML504, [
        'import pandas as pd\niris = pd.read_csv("https://example.org/data/iris.csv")',
        'iris.groupby("species")["sepal_length"].mean()'
      ])
    ).toHaveLength(0);
  });

  it('follows column selections after a groupby, and pivot tables', async () => {
    const findings = await check(ML504, [
      LOAD,
      '(df\n    .groupby(["region", "day"])\n    ["amount"]\n    .agg(["mean", "max"])\n    .round(1)\n)',
      'df.groupby("region")["amount", "price"].mean()',
      'df.pivot_table(index="region", columns="day", values="amount", aggfunc="sum")'
    ]);
    expect(findings.map(f => f.cell)).toEqual([0]);
    // a selection that is not of named columns is another use
    expect(
      await check(ML504, [LOAD, 'df.groupby("region")[df.amount > 0].sum()'])
    ).toHaveLength(0);
  });

  it.each([
    ['any other use', [LOAD, 'total = df["amount"].sum()', 'print(df)']],
    ['a head() call', [LOAD, 'df.head()']],
    ['a filtered frame', [LOAD, 'x = df[df.amount > 0]["amount"].sum()']],
    [
      'chunksize',
      [
        'import pandas as pd\ndf = pd.read_csv("s.csv", chunksize=10_000)\nn = df.a.sum()'
      ]
    ],
    [
      'usecols',
      [
        'import pandas as pd\ndf = pd.read_csv("s.csv", usecols=["a"])\nn = df.a.sum()'
      ]
    ],
    ['no later use', [LOAD]],
    ['use in a function', [LOAD, 'def f():\n    return df.a.sum()']],
    ['rebinding with another use', [LOAD, 'df = df.dropna()\nn = df.a.sum()']]
  ])('does not flag %s', async (_, sources) => {
    expect(await check(ML504, sources)).toHaveLength(0);
  });
});

import { ML505 } from '../ML505-compute-whole-collection';
import { check } from '../../../__tests__/harness';

const LOAD = 'import dask.dataframe as dd\nddf = dd.read_parquet("events/")';

describe('ML505 compute-whole-collection', () => {
  it('flags computing a loaded collection in a later cell', async () => {
    const [finding, ...rest] = await check(ML505, [
      LOAD,
      'df = ddf.compute()',
      'df.describe()'
    ]);
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({ cell: 1, line: 0, column: 5 });
    expect(finding.message).toContain('`ddf`');
    expect(finding.message).toContain('to_parquet');
  });

  it.each([
    ['to_pandas', [LOAD, 'df = ddf.to_pandas()\ndf.head()']],
    ['client.gather', [LOAD, 'parts = client.gather(ddf)\nprint(len(parts))']],
    [
      'a persisted collection',
      [
        LOAD,
        'ddf = ddf.persist()',
        'df = ddf.compute()',
        'df.groupby("a").size()'
      ]
    ],
    [
      'a compute right after the read, then sampled',
      [
        'import dask.dataframe as dd\ndf = dd.read_csv("logs/*.csv").compute()\ndf.sample(5)'
      ]
    ],
    [
      'a compute described in the same expression',
      [
        'import dask.array as da\nx = da.from_zarr("cube.zarr")\nx.compute().mean()'
      ]
    ],
    [
      'a column taken from the result',
      [LOAD, 'df = ddf.compute()', 'df["amount"].sum()']
    ]
  ])('flags %s', async (_, sources) => {
    expect(await check(ML505, sources)).toHaveLength(1);
  });

  it.each([
    [
      'a reduction',
      [LOAD, 'daily = ddf.groupby("day").amount.sum().compute()']
    ],
    ['a column selection', [LOAD, 'ids = ddf["id"].compute()']],
    [
      'a filter rebound first',
      [LOAD, 'ddf = ddf[ddf.amount > 0]', 'df = ddf.compute()']
    ],
    ['head()', [LOAD, 'ddf.head()']],
    ['persist alone', [LOAD, 'ddf = ddf.persist()']],
    ['writing from the workers', [LOAD, 'ddf.to_parquet("clean/")']],
    // rev 3: the whole result is needed (a graph's edge list)
    [
      'a result handed whole to another library',
      [LOAD, 'edges = ddf.compute()', 'g = nx.from_pandas_edgelist(edges)']
    ],
    [
      'a collection built from literals',
      [
        'import dask.dataframe as dd, pandas as pd\nsmall = dd.from_pandas(pd.DataFrame({"a": [1, 2]}), npartitions=1)\nsmall.compute()'
      ]
    ],
    ['a deleted name', [LOAD, 'del ddf', 'ddf = other\nddf.compute()']],
    [
      'a compute inside a function',
      [LOAD, 'def f():\n    return ddf.compute()']
    ],
    [
      'pandas readers',
      ['import pandas as pd\ndf = pd.read_csv("a.csv")\ndf.sum()']
    ]
  ])('does not flag %s', async (_, sources) => {
    expect(await check(ML505, sources)).toHaveLength(0);
  });
});

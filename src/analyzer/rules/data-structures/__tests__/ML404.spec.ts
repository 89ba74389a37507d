import { analyzeCells } from '../../../engine/engine';
import { ML404 } from '../ML404-read-without-dtypes';
import {
  applyEdits,
  check,
  codeCells,
  parsesCleanly,
  testParser,
  applyOnlyFix
} from '../../../__tests__/harness';

const PD = 'import pandas as pd\n';

const fixed = (sources: string[]) => applyOnlyFix(ML404, sources);

describe('ML404 read-without-dtypes (rev 2)', () => {
  it('suggests nrows= for a read cut to its first rows, as info', async () => {
    const sources = [`${PD}sample = pd.read_csv("trips.csv").head(1000)\n`];
    const [finding] = await check(ML404, sources);
    expect(finding).toMatchObject({
      rule: 'ML404',
      severity: 'info',
      line: 1,
      column: 9
    });
    expect(finding.message).toContain('nrows=1000');
    expect(await fixed(sources)).toEqual([
      `${PD}sample = pd.read_csv("trips.csv", nrows=1000)\n`
    ]);
  });

  it.each([
    [
      '.iloc[:500]',
      'x = pd.read_csv(p).iloc[:500]\n',
      'x = pd.read_csv(p, nrows=500)\n'
    ],
    [
      '[:50]',
      'x = pd.read_table(p, sep="\\t")[:50]\n',
      'x = pd.read_table(p, sep="\\t", nrows=50)\n'
    ],
    ['.head()', 'pd.read_csv(url).head()\n', 'pd.read_csv(url, nrows=5)\n']
  ])('suggests nrows= for %s', async (_, source, expected) => {
    expect(await fixed([`${PD}${source}`])).toEqual([`${PD}${expected}`]);
  });

  it('suggests usecols= with the exact columns read across cells', async () => {
    const sources = [
      `${PD}trips = pd.read_csv("trips.csv")\n`,
      'fares = trips["fare"].mean()\n',
      'by_city = trips[["city", "fare"]].groupby("city").sum()\nby_city\n'
    ];
    const [finding] = await check(ML404, sources);
    expect(finding).toMatchObject({ cell: 0, line: 1, column: 8 });
    expect(finding.message).toContain('"fare", "city"');
    const result = await fixed(sources);
    expect(result[0]).toBe(
      `${PD}trips = pd.read_csv("trips.csv", usecols=["fare", "city"])\n`
    );
  });

  it('narrows a read cut to named columns right away', async () => {
    expect(
      await fixed([`${PD}total = pd.read_csv("sales.csv")["revenue"].sum()\n`])
    ).toEqual([
      `${PD}total = pd.read_csv("sales.csv", usecols=["revenue"])["revenue"].sum()\n`
    ]);
    expect(
      await check(ML404, [`${PD}x = pd.read_csv("s.csv")[lambda d: d.a > 0]\n`])
    ).toHaveLength(0);
  });

  it('reads a column list the cell bound to a name before', async () => {
    const result = await fixed([
      `${PD}loans = pd.read_csv("loans.csv")\n`,
      'keep = ["grade", "amount"]\nloans = loans[keep]\n'
    ]);
    expect(result[0]).toBe(
      `${PD}loans = pd.read_csv("loans.csv", usecols=["grade", "amount"])\n`
    );
    // bound twice in the cell: which list the read sees is not plain
    expect(
      await check(ML404, [
        `${PD}loans = pd.read_csv("loans.csv")\n`,
        'keep = ["grade"]\nif wide:\n    keep = ["grade", "amount"]\nloans = loans[keep]\n'
      ])
    ).toHaveLength(0);
  });

  it('reads columns used as attributes (df.col), not properties or methods', async () => {
    const sources = [
      `${PD}movie = pd.read_csv("movie.csv")\n`,
      'best = movie.imdb_score > 8\nrecent = movie.title_year.dropna()\n',
      'movie["duration"].mean()\n'
    ];
    const result = await fixed(sources);
    expect(result[0]).toBe(
      `${PD}movie = pd.read_csv("movie.csv", usecols=["imdb_score", "title_year", "duration"])\n`
    );
    for (const use of [
      'movie.head()\n',
      'movie.score.mean()\nmovie.shape\n',
      'movie.columns = ["a", "b"]\n',
      'movie.title_year = 0\n'
    ]) {
      expect(
        await check(ML404, [`${PD}movie = pd.read_csv("movie.csv")\n`, use])
      ).toEqual([]);
    }
  });

  // rev 3 (real notebooks): the list must keep what the call names, or
  // the read raises
  it('keeps index_col and parse_dates columns in usecols', async () => {
    const sources = [
      `${PD}movie = pd.read_csv("movie.csv", index_col="title", parse_dates=["day"])\n`,
      'movie["score"].mean()\n',
      'print(1)\n'
    ];
    const result = await fixed(sources);
    expect(result[0]).toBe(
      `${PD}movie = pd.read_csv("movie.csv", index_col="title", parse_dates=["day"], usecols=["title", "day", "score"])\n`
    );
  });

  it('suggests no column list with a positional index_col (rev 3)', async () => {
    expect(
      await check(ML404, [
        `${PD}df = pd.read_csv("a.csv", index_col=0)\n`,
        'df["x"].sum()\n'
      ])
    ).toHaveLength(0);
  });

  it('skips a file the notebook itself wrote from a small frame (rev 4)', async () => {
    const cells = (summary: string) => [
      `${PD}summary = ${summary}\nsummary.to_csv("stable.csv")\n`,
      'back = pd.read_csv("stable.csv")\nback["score"].mean()\n'
    ];
    expect(
      await check(ML404, cells('pd.DataFrame({"score": [1, 2]})'))
    ).toHaveLength(0);
    const [found] = await check(ML404, cells('pd.read_csv("runs.csv")'));
    expect(found.message).toContain('usecols');
  });

  it('skips a file the host knows to be small (rev 3)', async () => {
    const findings = analyzeCells(
      await testParser(),
      codeCells([`${PD}df = pd.read_csv("toy.csv").head(10)\n`]),
      { rules: [ML404], fileSize: () => 500 }
    );
    expect(findings).toHaveLength(0);
  });

  it('uses columns= for read_parquet', async () => {
    const result = await fixed([
      `${PD}df = pd.read_parquet("events.parquet")\n`,
      'df["user"].nunique()\n'
    ]);
    expect(result[0]).toContain(
      'pd.read_parquet("events.parquet", columns=["user"])'
    );
  });

  it.each([
    [
      'a plain read (the source cannot tell it is big)',
      [`${PD}df = pd.read_csv("trips.csv")\n`]
    ],
    ['a frame displayed whole', [`${PD}df = pd.read_csv(p)\n`, 'df\n']],
    [
      'a frame described',
      [`${PD}df = pd.read_csv(p)\n`, 'df["a"].mean()\ndf.describe()\n']
    ],
    [
      'a frame passed to a function',
      [`${PD}df = pd.read_csv(p)\n`, 'df["a"].sum()\nplot(df)\n']
    ],
    ['a frame plotted', [`${PD}df = pd.read_csv(p)\n`, 'df.plot()\n']],
    [
      'a column written',
      [`${PD}df = pd.read_csv(p)\n`, 'df["b"] = df["a"] * 2\n']
    ],
    [
      'a frame read in a function',
      [`${PD}df = pd.read_csv(p)\n`, 'def f():\n    return df["a"]\n']
    ],
    [
      'a read of in-memory text',
      [
        `${PD}from io import StringIO\ndf = pd.read_csv(StringIO(data)).head(3)\n`
      ]
    ],
    [
      'usecols already given',
      [`${PD}df = pd.read_csv(p, usecols=["a"])\n`, 'df["a"].sum()\n']
    ],
    ['nrows already given', [`${PD}df = pd.read_csv(p, nrows=10).head(10)\n`]],
    ['a read passed on directly', [`${PD}summary(pd.read_csv(p))\n`]],
    [
      'another library',
      ['import polars as pl\ndf = pl.read_csv(p)\n', 'df["a"]\n']
    ]
  ])('does not flag %s', async (_, sources) => {
    expect(await check(ML404, sources)).toHaveLength(0);
  });

  it('offers the dtype mapping the kernel measured (LV103)', async () => {
    const parser = await testParser();
    const findings = analyzeCells(
      parser,
      codeCells([`${PD}trips = pd.read_csv("trips.csv")\n`, 'trips\n']),
      {
        rules: [ML404],
        live: {
          sizes: new Map([['trips', 300 * 2 ** 20]]),
          dtypes: new Map([
            ['trips', { passengers: 'int8', vendor: 'category' }]
          ])
        }
      }
    );
    expect(findings).toHaveLength(1);
    const fixedSource = applyEdits(
      [`${PD}trips = pd.read_csv("trips.csv")\n`, 'trips\n'],
      findings[0].fix!.edits
    )[0];
    expect(fixedSource).toBe(
      `${PD}trips = pd.read_csv("trips.csv", dtype={"passengers": "int8", "vendor": "category"})\n`
    );
    expect(await parsesCleanly(fixedSource)).toBe(true);
  });

  // rev 3 (real notebooks): which value a read sees
  it.each([
    [
      'a read inside a loop (the frame is shuffled and written whole)',
      [
        `${PD}for name in names:\n    df = pd.read_csv(name)\n    df = df.sample(frac=1)\n    df.to_csv(name + "_shuffled.csv")\n`,
        'for df in pd.read_csv("a.csv", chunksize=100):\n    print(df["label"])\n'
      ]
    ],
    [
      'reads of a later loop variable of the same name',
      [
        `${PD}df = pd.read_csv("a.csv")\ndf.describe()\n`,
        'for df in chunks:\n    print(df["label"])\n'
      ]
    ]
  ])('does not flag %s (rev 3)', async (_, sources) => {
    expect(await check(ML404, sources)).toHaveLength(0);
  });
});

import { analyzeCells } from '../../../engine/engine';
import { ML201 } from '../ML201-dead-variable';
import {
  applyEdits,
  check,
  codeCells,
  parsesCleanly,
  testParser
} from '../../../__tests__/harness';

const LOAD = 'import pandas as pd\ndf = pd.read_csv("big.csv")';

describe('ML201 dead-variable', () => {
  it('flags a large producer not read after its last use, with del fix and action', async () => {
    // rev 3: a later cell that does work (not only a print) makes it worth it
    const sources = [
      LOAD,
      'total = df["x"].sum()  # last use',
      'report = summarize(total)'
    ];
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
      'm = compute(n)'
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
    expect(await check(ML201, [source, 'result = compute()'])).toHaveLength(1);
  });

  it('flags a file read whole in a with block (rev 2)', async () => {
    const findings = await check(ML201, [
      'with open("corpus.txt") as f:\n    data = f.read()',
      'words = other.split()'
    ]);
    expect(findings.map(f => f.message)).toEqual([
      expect.stringContaining('`data`')
    ]);
  });

  // rev 2: statically silent when the source cannot tell the object is big,
  // or when `del` would free nothing. Each case ends with a cell of real work.
  const LATER = 'result = compute()';
  it.each([
    ['a small demo array', ['import numpy as np\nv = np.zeros(10)', LATER]],
    [
      'a size the source cannot know',
      ['import numpy as np\nv = np.zeros(n)', LATER]
    ],
    [
      'random data of unknown size',
      ['import numpy as np\nx = np.random.rand(n, 3)', LATER]
    ],
    [
      'a chunked reader',
      [
        'import pandas as pd\nchunks = pd.read_csv("big.csv", chunksize=10_000)',
        LATER
      ]
    ],
    [
      'an iterator reader',
      ['import pandas as pd\nit = pd.read_csv("big.csv", iterator=True)', LATER]
    ],
    [
      'nrows',
      ['import pandas as pd\nsample = pd.read_csv("big.csv", nrows=100)', LATER]
    ],
    [
      'an in-memory buffer',
      [
        'import pandas as pd\nfrom io import StringIO\nt = pd.read_csv(StringIO(text))',
        LATER
      ]
    ],
    ['an alias (and the aliased name)', [LOAD, 'same = df', LATER]],
    [
      'a view (and the viewed array)',
      ['import numpy as np\na = np.ones((5000, 5000))', 'col = a[:, 0]', LATER]
    ],
    [
      'a column taken from a frame still used',
      [LOAD, 's = df["price"]', LATER, 'print(df.shape)']
    ],
    [
      'the result of an inplace call',
      [LOAD, 'out = df.dropna(inplace=True)', LATER, 'print(df.shape)']
    ],
    ['a name removed by %xdel', [LOAD, '%xdel df', LATER]],
    [
      'names removed by %reset -f',
      [LOAD, 'x = df.x.sum()', '%reset -f', LATER]
    ],
    [
      'a notebook that ends with trivial cells',
      [LOAD, 'x = df.x.sum()', '# done\n', 'pass']
    ]
  ])('does not flag %s', async (_, sources) => {
    expect(await check(ML201, sources as string[])).toHaveLength(0);
  });

  it.each([
    ['names read later', [LOAD, 'm = df.x.mean()', 'print(df.shape)']],
    [
      'names used by a function defined in the notebook',
      [LOAD, 'def f():\n    return df.x.sum()', 'f()']
    ],
    [
      '_-prefixed throwaways',
      ['import pandas as pd\n_tmp = pd.read_csv("a.csv")', 'result = compute()']
    ],
    ['names in the last cell', ['x = 1', LOAD]],
    ['names read in the last cell', [LOAD, 'x = 1', 'print(df)']],
    ['non-producers', ['config = {"a": 1}\nn = 10', 'result = compute()']],
    [
      'reductions of a large name',
      [
        `${LOAD}\nmean = df.x.mean()\nsize = len(df)\ndel df`,
        'result = compute()'
      ]
    ],
    [
      'small literal allocations',
      ['import numpy as np\nv = np.zeros(3)', 'result = compute()']
    ],
    ['names deleted later', [LOAD, 'del df', 'result = compute()']],
    [
      'rebound later (not large)',
      [LOAD, 'df = df.head()', 'result = compute()']
    ],
    [
      'notebooks that read names dynamically',
      [LOAD, 'result = compute()', 'print(globals()["df"])']
    ],
    [
      'imports, defs and loop variables',
      [
        'import numpy as np\nfor row in np.zeros((9999, 9999)): pass',
        'result = compute()'
      ]
    ]
  ])('does not flag %s', async (_, sources) => {
    expect(await check(ML201, sources as string[])).toHaveLength(0);
  });

  it('gives no text fix when the last use is the displayed cell result', async () => {
    const [finding] = await check(ML201, [
      LOAD,
      'df.describe()',
      'result = compute()'
    ]);
    expect(finding.fix).toBeNull();
    expect(finding.action).toEqual({ kind: 'delete', name: 'df' });
  });

  it('uses live sizes when the kernel gives them', async () => {
    const parser = await testParser();
    const cells = codeCells([
      'model = build()\n_cache = make()\nsmall = pd.read_csv("a.csv")',
      'result = compute()'
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

  // rev 3 (real notebooks)
  it.each([
    ['del(x), the parenthesised form', 'del(df)'],
    ['del(a, b)', 'del(df, other)']
  ])('understands %s as a delete', async (_, del) => {
    expect(
      await check(ML201, [LOAD, 'total = df["x"].sum()', del, 'print(total)'])
    ).toHaveLength(0);
  });

  it.each([
    ['a head(n) result', 'top = df.head(100)'],
    ['a column Series', 's = df["x"]'],
    ['an iloc slice', 'rest = df.iloc[1:]'],
    ['the values array', 'values = df.values'],
    ['a slice of the values array', 'x = df.values[:, 1:]'],
    ['a row slice of values', 'row = df[0:1].values']
  ])(
    'does not flag a frame while %s of it is alive (rev 3)',
    async (_, view) => {
      expect(
        await check(ML201, [LOAD, view, 'a = work(1)', 'b = work(2)'])
      ).toHaveLength(0);
    }
  );

  it.each([
    [
      'a StringIO buffer',
      'import io\nbuf = io.StringIO(text)',
      'df = pd.read_csv(buf)'
    ],
    ['JSON text from to_json', 'js = small.to_json()', 'df = pd.read_json(js)'],
    ['JSON text from json.dumps', 'js = json.dumps(d)', 'df = pd.read_json(js)']
  ])(
    'does not treat a read of %s as a large load (rev 3)',
    async (_, bind, read) => {
      const cells = [
        'import pandas as pd',
        bind,
        read,
        'n = len(df)',
        'out = work(n)'
      ];
      expect(await check(ML201, cells)).toHaveLength(0);
    }
  );

  it('still treats a read through a variable naming a file as a load (rev 3)', async () => {
    const cells = [
      'import pandas as pd',
      'path = "big.csv"',
      'df = pd.read_csv(path)',
      'n = len(df)',
      'out = work(n)'
    ];
    expect(await check(ML201, cells)).toHaveLength(1);
  });

  it('skips reads of files the host knows to be small (rev 3)', async () => {
    const sources = [
      'import pandas as pd\nsmall = pd.read_csv("data/toy.csv")\nbig = pd.read_csv("data/big.csv")',
      'n = len(small) + len(big)',
      'out = work(n)'
    ];
    const sizes: Record<string, number> = {
      'data/toy.csv': 4_000,
      'data/big.csv': 80_000_000
    };
    const findings = await analyzeCells(
      await testParser(),
      codeCells(sources),
      {
        rules: [ML201],
        fileSize: p => sizes[p] ?? null
      }
    );
    expect(findings.map(f => f.message)).toEqual([
      expect.stringContaining('`big`')
    ]);
  });

  it('reads back a file the notebook wrote as large as what it wrote (rev 4)', async () => {
    const roundTrip = (load: string) => [
      `import pandas as pd\nfirst = ${load}`,
      'first.to_feather("/tmp/d.arr")\nback = pd.read_feather("/tmp/d.arr")',
      'n = len(back)',
      'out = work(n)\nfirst.describe()'
    ];
    // a 1,000-row sample written and read back is 1,000 rows
    expect(
      await check(ML201, roundTrip('pd.read_csv("big.csv", nrows=1000)'))
    ).toHaveLength(0);
    const [found] = await check(ML201, roundTrip('pd.read_csv("big.csv")'));
    expect(found.message).toContain('`back`');
  });

  it("does not take a training run's own log for a data load (rev 4)", async () => {
    const cells = [
      'import pandas as pd\nmetrics = pd.read_csv(f"{trainer.logger.log_dir}/metrics.csv")',
      'metrics[["loss"]].plot()',
      'out = work(1)'
    ];
    expect(await check(ML201, cells)).toHaveLength(0);
  });

  it('counts a view only while its name still holds it (rev 4)', async () => {
    const cells = (body: string) => [
      'import pickle\nsig = pickle.load(open("probs.p", "rb"))',
      `for i in range(n):\n${body}`,
      'out = work(n)'
    ];
    // `mask` ends the loop holding a new array: sig is the only holder
    const [found] = await check(
      ML201,
      cells('    mask = sig[i, :, :]\n    mask = mask * 255\n    save(mask)')
    );
    expect(found.message).toContain('`sig`');
    // `mask` still views a piece of sig: del sig frees nothing
    expect(
      await check(ML201, cells('    mask = sig[i, :, :]\n    save(mask)'))
    ).toHaveLength(0);
  });

  it('knows the teaching datasets by name, also at a URL (rev 4)', async () => {
    const cells = (path: string) => [
      `import pandas as pd\ndf = pd.read_csv("${path}")`,
      'n = len(df)',
      'out = work(n)'
    ];
    expect(
      await check(
        ML201,
        cells('https://raw.githubusercontent.com/user/data/main/iris.csv')
      )
    ).toHaveLength(0);
    expect(await check(ML201, cells('data/titanic.csv'))).toHaveLength(0);
    expect(
      await check(ML201, cells('/kaggle/input/titanic/test.csv'))
    ).toHaveLength(0);
    expect(
      await check(
        ML201,
        cells(
          'https://raw.githubusercontent.com/jbrownlee/Datasets/master/airline-passengers.csv'
        )
      )
    ).toHaveLength(0);
    expect(await check(ML201, cells('data/transactions.csv'))).toHaveLength(1);
    expect(
      await check(ML201, cells('/kaggle/input/store-sales/test.csv'))
    ).toHaveLength(1);
  });

  it('bounds a SQL query by its SQLite database file (rev 4)', async () => {
    const sources = (db: string) => [
      `import pandas as pd\nimport sqlalchemy as sa\nengine = sa.create_engine("sqlite:///${db}")\nconnection = engine.connect()\nbands = pd.read_sql("SELECT * FROM Band", connection)`,
      'n = len(bands)',
      'out = work(n)'
    ];
    const sizes: Record<string, number> = {
      'data/beat.db': 12_288,
      'data/big.db': 900_000_000
    };
    const lint = async (db: string) =>
      analyzeCells(await testParser(), codeCells(sources(db)), {
        rules: [ML201],
        fileSize: p => sizes[p] ?? null
      });
    expect(await lint('data/beat.db')).toHaveLength(0);
    expect(await lint('data/big.db')).toHaveLength(1);
    expect(await lint('data/unknown.db')).toHaveLength(1);
  });

  it('still flags before a trailing cell that plots (rev 3)', async () => {
    expect(
      await check(ML201, [LOAD, 'total = df["x"].sum()', 'plt.plot(total)'])
    ).toHaveLength(1);
  });

  it.each([
    ['prints', 'print(total)\nprint(n)'],
    [
      'a look at a value and a write to a file',
      'total\nsummary.to_csv("s.csv")'
    ],
    ['literal assignments', 'colors = ["r", "g"]\nn = 3'],
    [
      'measures and a look at one image',
      'len(masks)\nmasks[2][0:50].sum()\nImage.fromarray(masks[5] * 255)'
    ]
  ])(
    'treats trailing cells of only %s as the end of the notebook (rev 3)',
    async (_, tail) => {
      expect(
        await check(ML201, [LOAD, 'total = df["x"].sum()', tail])
      ).toHaveLength(0);
    }
  );

  it("does not treat a call of the notebook's own read_ function as a load (rev 3)", async () => {
    expect(
      await check(ML201, [
        'def read_csv(path):\n    return open(path).readline()',
        'df = read_csv("big.csv")',
        'n = len(df)',
        'out = work(n)'
      ])
    ).toHaveLength(0);
  });

  it('with a kernel, flags before trailing print cells (the user goes on working)', async () => {
    const findings = analyzeCells(
      await testParser(),
      codeCells([
        'import numpy as np\nbig = np.zeros(20_000_000)\nfirst = big[:10].copy()',
        'print(first.sum())',
        'print("done")'
      ]),
      {
        rules: [ML201],
        live: { sizes: new Map([['big', 160_000_000]]) }
      }
    );
    expect(findings.map(f => f.message)).toEqual([
      expect.stringContaining('`big`')
    ]);
  });

  it('while a cell is being edited, flags before trailing print cells', async () => {
    const findings = analyzeCells(
      await testParser(),
      codeCells([
        'import numpy as np\nbig = np.zeros(20_000_000)\nfirst = big[:10].copy()',
        'print(first.sum())',
        'print("done")'
      ]),
      { rules: [ML201], activeCell: 2 }
    );
    expect(findings).toHaveLength(1);
  });
});

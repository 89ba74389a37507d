import { ML603 } from '../ML603-resource-without-with';
import { check } from '../../../__tests__/harness';

describe('ML603 resource-without-with', () => {
  it.each([
    [
      'sqlite3.connect',
      'import sqlite3\nconn = sqlite3.connect("db.sqlite")',
      1,
      7
    ],
    ['h5py.File', 'import h5py\nh = h5py.File(path, "r")', 1, 4],
    [
      'zipfile.ZipFile',
      'import zipfile\nz = zipfile.ZipFile(path)\nnames = z.namelist()',
      1,
      4
    ],
    [
      'from zipfile import ZipFile',
      'from zipfile import ZipFile\nz = ZipFile(path)',
      1,
      4
    ],
    ['tarfile.open', 'import tarfile\ntar = tarfile.open(path)', 1, 6],
    [
      'multiprocessing.Pool',
      'import multiprocessing\npool = multiprocessing.Pool(4)\nout = pool.map(f, xs)',
      1,
      7
    ],
    [
      'an aliased module',
      'import multiprocessing as mp\npool = mp.Pool(4)',
      1,
      7
    ],
    [
      'ThreadPoolExecutor',
      'from concurrent.futures import ThreadPoolExecutor\nex = ThreadPoolExecutor()',
      1,
      5
    ],
    [
      'futures.ProcessPoolExecutor',
      'from concurrent import futures\nex = futures.ProcessPoolExecutor()',
      1,
      5
    ],
    [
      'NamedTemporaryFile',
      'import tempfile\ntmp = tempfile.NamedTemporaryFile()',
      1,
      6
    ],
    [
      'socket.socket',
      'import socket\ns = socket.socket()\ns.connect(addr)',
      1,
      4
    ],
    [
      'inline use',
      'import sqlite3\nrows = sqlite3.connect(db).execute(q).fetchall()',
      1,
      7
    ],
    [
      'an argument',
      'import sqlite3\ndf = pd.read_sql(q, sqlite3.connect(db))',
      1,
      20
    ],
    [
      'an attribute target',
      'class Store:\n    def __init__(self, db):\n        self.conn = sqlite3.connect(db)',
      2,
      20
    ]
  ])('flags %s, anchored at the call', async (_, source, line, column) => {
    const findings = await check(ML603, source);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML603',
      severity: 'warning',
      line,
      column,
      fix: null
    });
  });

  it('flags `with sqlite3.connect(...)`, which commits but does not close (rev 2)', async () => {
    const findings = await check(
      ML603,
      'import sqlite3\nwith sqlite3.connect("db.sqlite") as con:\n    con.execute("select 1")\n'
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 1, column: 5 });
    expect(findings[0].message).toContain('does not close');
    expect(findings[0].message).toContain('contextlib.closing');
  });

  it('does not flag a file an object keeps open on purpose and a cell closes', async () => {
    const dataset =
      'import h5py\nclass Entries:\n    def __init__(self, path):\n        self.h5f = h5py.File(path, "r")\n    def __getitem__(self, i):\n        return self.h5f["x"][i]\n';
    expect(
      await check(ML603, [
        dataset,
        'train = Entries(p)\n',
        'train.h5f.close()\n'
      ])
    ).toHaveLength(0);
    const [never] = await check(ML603, [dataset, 'train = Entries(p)\n']);
    expect(never.message).toContain('self.h5f');
  });

  it('does not flag sqlite3 wrapped in contextlib.closing', async () => {
    expect(
      await check(
        ML603,
        'import sqlite3\nfrom contextlib import closing\nwith closing(sqlite3.connect("db.sqlite")) as con:\n    con.execute("select 1")\n'
      )
    ).toHaveLength(0);
  });

  it('flags a zip member opened with zf.open(name) and never closed (rev 2)', async () => {
    const findings = await check(ML603, [
      'import zipfile\nzf = zipfile.ZipFile("data.zip")\nnames = zf.namelist()\nzf.close()\n',
      'member = zf.open(names[0])\nheader = member.readline()\n'
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ cell: 1, line: 0, column: 9 });
    expect(findings[0].message).toContain('zip archive member');
  });

  it('does not flag a zip member read whole by a pandas reader (rev 3)', async () => {
    expect(
      await check(
        ML603,
        'import zipfile\nwith zipfile.ZipFile(p) as zf:\n    df = pd.read_csv(zf.open("a.csv"))\n'
      )
    ).toHaveLength(0);
  });

  it('does not flag zip members read in a with block, or other .open calls', async () => {
    expect(
      await check(ML603, [
        'from zipfile import ZipFile\nwith ZipFile("data.zip") as zf:\n    with zf.open("a.csv") as f:\n        head = f.read(100)\n'
      ])
    ).toHaveLength(0);
    expect(
      await check(ML603, ['img = Image.open("cat.png")\nimg.size\n'])
    ).toHaveLength(0);
  });

  it('names the variable and the closing call', async () => {
    const [finding] = await check(
      ML603,
      'from concurrent.futures import ThreadPoolExecutor\nex = ThreadPoolExecutor(4)'
    );
    expect(finding.message).toContain('ex = ThreadPoolExecutor(...)');
    expect(finding.message).toContain('ex.shutdown()');
  });

  it('reports at info severity when a later cell closes the object', async () => {
    const findings = await check(ML603, [
      'import sqlite3\nconn = sqlite3.connect(db)',
      'df = pd.read_sql(q, conn)',
      'conn.close()'
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ cell: 0, line: 1, severity: 'info' });
  });

  it.each([
    [
      'with use',
      'import zipfile\nwith zipfile.ZipFile(p) as zf:\n    names = zf.namelist()'
    ],
    [
      'with closing()',
      'import sqlite3, contextlib\nwith contextlib.closing(sqlite3.connect(db)) as conn:\n    pass'
    ],
    [
      'an executor in with',
      'from concurrent.futures import ThreadPoolExecutor\nwith ThreadPoolExecutor() as ex:\n    list(ex.map(f, xs))'
    ],
    [
      'closed in the cell',
      'import zipfile\nz = zipfile.ZipFile(p)\nnames = z.namelist()\nz.close()'
    ],
    [
      'shut down in the cell',
      'from concurrent.futures import ProcessPoolExecutor\nex = ProcessPoolExecutor()\nex.shutdown()'
    ],
    [
      'a terminated pool',
      'import multiprocessing\npool = multiprocessing.Pool()\npool.terminate()'
    ],
    [
      'closed in try/finally',
      'import socket\ns = socket.socket()\ntry:\n    s.connect(a)\nfinally:\n    s.close()'
    ],
    [
      'entered into an ExitStack',
      'import h5py\nf = stack.enter_context(h5py.File(p))'
    ],
    [
      'a returned connection',
      'import sqlite3\ndef connect():\n    return sqlite3.connect(db)'
    ],
    [
      'a returned bound connection',
      'import sqlite3\ndef connect():\n    conn = sqlite3.connect(db)\n    return conn'
    ],
    ['an unrelated connect', 'client = mqtt.connect(host)'],
    ['an unrelated File', 'f = File(path)'],
    ['zipfile.Path', 'import zipfile\np = zipfile.Path(z)']
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML603, source)).toHaveLength(0);
  });
});

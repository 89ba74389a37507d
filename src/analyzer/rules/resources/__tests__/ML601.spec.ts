import { ML601 } from '../ML601-open-without-with';
import type { IFinding } from '../../../types';
import { NotebookAnalyzer } from '../../../engine/engine';
import {
  applyEdits,
  check,
  codeCells,
  parsesCleanly,
  testParser
} from '../../../__tests__/harness';

/** Apply the only finding's fix to `sources`, check it, return the result. */
async function fixed(sources: string[]): Promise<string[]> {
  const findings = await check(ML601, sources);
  expect(findings).toHaveLength(1);
  expect(findings[0].fix).not.toBeNull();
  const result = applyEdits(sources, findings[0].fix!.edits);
  for (const source of result) {
    expect(await parsesCleanly(source)).toBe(true);
  }
  expect(await check(ML601, result)).toHaveLength(0);
  return result;
}

async function only(source: string): Promise<IFinding> {
  const findings = await check(ML601, source);
  expect(findings).toHaveLength(1);
  return findings[0];
}

describe('ML601 open-without-with', () => {
  describe('flags', () => {
    it('a lone `f = open(...)`, anchored at the call', async () => {
      const finding = await only('f = open("x.txt")');
      expect(finding).toMatchObject({
        rule: 'ML601',
        severity: 'warning',
        cell: 0,
        line: 0,
        column: 4,
        endLine: 0,
        endColumn: 17
      });
      expect(finding.message).toContain('f = open("x.txt")');
    });

    it.each([
      ['inline read', 'data = open(p).read()', 7],
      ['iteration', 'for line in open(p):\n    print(line)', 12],
      // rev 3: a handle given to a reader that keeps it (not read whole)
      ['argument', 'rows = csv.reader(open(p))', 18],
      ['io.open', 'import io\nf = io.open(p)', 4],
      ['gzip.open', 'import gzip\nf = gzip.open(p, "rt")', 4],
      ['bz2.open', 'import bz2\nraw = bz2.open(p).read()', 6],
      ['lzma.open', 'import lzma\nf = lzma.open(p)', 4],
      ['Path(...).open()', 'from pathlib import Path\nf = Path(p).open()', 4],
      [
        'an attribute target',
        'class A:\n    def __init__(self, p):\n        self.f = open(p)',
        17
      ],
      ['a walrus', 'if (f := open(p)):\n    pass', 9],
      [
        'inside a function',
        'def load(p):\n    f = open(p)\n    return f.read()',
        8
      ]
    ])('%s', async (_, source, column) => {
      const finding = await only(source);
      expect(finding.column).toBe(column);
    });

    it('in the opening cell, at info severity, when a later cell closes it', async () => {
      const findings = await check(ML601, [
        'f = open(p)',
        'f.read()',
        'f.close()'
      ]);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        cell: 0,
        severity: 'info',
        fix: null
      });
    });

    it('without a with-block fix when a later cell uses the handle', async () => {
      const findings = await check(ML601, ['f = open(p)', 'text = f.read()']);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        cell: 0,
        severity: 'warning',
        fix: null
      });
    });
  });

  describe('does not flag', () => {
    it.each([
      ['with statements', 'with open(p) as f:\n    data = f.read()'],
      // rev 3: a temporary handle read or written whole by the call it is
      // given to is closed when that call returns
      ['a handle given to pickle.load', 'd = pickle.load(open(p, "rb"))'],
      ['a handle given to pickle.dump', 'pickle.dump(d, open(p, "wb"))'],
      ['a handle given to json.load', 'cfg = json.load(open(p))'],
      ['a handle given to a pandas reader', 'df = pd.read_csv(open(p))'],
      ['several with items', 'with open(p) as f, gzip.open(q) as g:\n    pass'],
      ['a with item without as', 'with open(p):\n    pass'],
      [
        'contextlib.closing',
        'from contextlib import closing\nwith closing(open(p)) as f:\n    pass'
      ],
      [
        'ExitStack.enter_context',
        'with ExitStack() as stack:\n    f = stack.enter_context(open(p))'
      ],
      [
        'closed later in the same cell',
        'f = open(p)\ndata = f.read()\nf.close()'
      ],
      [
        'an attribute closed in another method',
        'class A:\n    def __init__(self, p):\n        self.f = open(p)\n    def close(self):\n        self.f.close()'
      ],
      ['returned handles', 'def opener(p):\n    return open(p)'],
      [
        'returned bound handles',
        'def opener(p):\n    f = open(p)\n    return f'
      ],
      [
        'yielded handles',
        'def opener(p):\n    f = open(p)\n    yield f\n    f.close()'
      ],
      ['handles stored in a container', 'files = []\nfiles.append(open(p))'],
      [
        'os.open (a file descriptor)',
        'import os\nfd = os.open(p, os.O_RDONLY)'
      ],
      ['webbrowser.open', 'import webbrowser\nwebbrowser.open(url)'],
      [
        'with a closed handle via a callback',
        'import atexit\nf = open(p)\natexit.register(f.close)'
      ]
    ])('%s', async (_, source) => {
      expect(await check(ML601, source)).toHaveLength(0);
    });
  });

  describe('Path fix', () => {
    it.each([
      ['read', 'data = open(p).read()\n', 'data = Path(p).read_text()\n'],
      ['"r"', 'data = open(p, "r").read()\n', 'data = Path(p).read_text()\n'],
      ['rb', 'blob = open(p, "rb").read()\n', 'blob = Path(p).read_bytes()\n'],
      [
        'mode= keyword',
        "blob = open(p, mode='rb').read()\n",
        'blob = Path(p).read_bytes()\n'
      ],
      [
        'encoding',
        'data = open(p, encoding="utf-8").read()\n',
        'data = Path(p).read_text(encoding="utf-8")\n'
      ],
      [
        'encoding and errors',
        'data = open(p, "rt", encoding="utf-8", errors="replace").read()\n',
        'data = Path(p).read_text(encoding="utf-8", errors="replace")\n'
      ],
      ['write', 'open(p, "w").write(text)\n', 'Path(p).write_text(text)\n'],
      [
        'wb',
        'n = open(p, "wb").write(blob)\n',
        'n = Path(p).write_bytes(blob)\n'
      ],
      ['io.open', 'data = io.open(p).read()\n', 'data = Path(p).read_text()\n']
    ])('%s, using the imported Path', async (_, body, expected) => {
      const head = 'from pathlib import Path\n';
      const [result] = await fixed([head + body]);
      expect(result).toBe(head + expected);
    });

    it('adds `from pathlib import Path` at the top of the cell when missing', async () => {
      const [result] = await fixed([
        'import json\n\ntext = open("a.txt").read()\n'
      ]);
      expect(result).toBe(
        'from pathlib import Path\nimport json\n\ntext = Path("a.txt").read_text()\n'
      );
    });

    it('adds the import for a cell that is just the expression', async () => {
      const [result] = await fixed(['open("a.txt").read()']);
      expect(result).toBe(
        'from pathlib import Path\nPath("a.txt").read_text()'
      );
    });

    it('puts the import after `from __future__` imports', async () => {
      const [result] = await fixed([
        'from __future__ import annotations\nx = open(p).read()\n'
      ]);
      expect(result).toBe(
        'from __future__ import annotations\nfrom pathlib import Path\nx = Path(p).read_text()\n'
      );
    });

    it('uses Path imported in an earlier cell', async () => {
      const result = await fixed([
        'from pathlib import Path',
        'x = open(p).read()'
      ]);
      expect(result[1]).toBe('x = Path(p).read_text()');
    });

    it('uses pathlib.Path after `import pathlib`', async () => {
      const [result] = await fixed(['import pathlib\nx = open(p).read()']);
      expect(result).toBe('import pathlib\nx = pathlib.Path(p).read_text()');
    });

    it('rewrites Path(p).open().read() to Path(p).read_text()', async () => {
      const [result] = await fixed([
        'from pathlib import Path\nx = Path(p).open("rb").read()'
      ]);
      expect(result).toBe('from pathlib import Path\nx = Path(p).read_bytes()');
    });

    it.each([
      ['read(n)', 'x = open(p).read(100)'],
      ['readlines (splitlines differs)', 'x = open(p).readlines()'],
      ['newline=', 'x = open(p, newline="").read()'],
      ['buffering', 'x = open(p, "r", 1).read()'],
      ['a computed mode', 'x = open(p, mode).read()'],
      ['append mode', 'open(p, "a").write(s)'],
      ['read on a write handle', 'x = open(p, "w").read()'],
      ['encoding with bytes', 'x = open(p, "rb", encoding="utf-8").read()'],
      ['a file descriptor', 'x = open(0).read()'],
      ['gzip (no Path equivalent)', 'import gzip\nx = gzip.open(p).read()'],
      ['Path bound to something else', 'Path = str\nx = open(p).read()'],
      ['splat arguments', 'x = open(*args).read()'],
      ['an unknown mode word', 'x = open(p, "constructor").read()'],
      ['an unknown method name', 'x = open(p).constructor()'],
      ['iteration', 'for line in open(p):\n    pass']
    ])('no fix for %s', async (_, source) => {
      expect((await only(source)).fix).toBeNull();
    });
  });

  describe('with-block fix', () => {
    it('gives a lone open a with block with a placeholder body', async () => {
      const [result] = await fixed(['f = open("x.txt")']);
      expect(result).toBe('with open("x.txt") as f:\n    ...');
    });

    it('wraps the following statements up to the last use', async () => {
      const source =
        'f = open("x.txt")  # input\nheader = f.readline()\n\nrows = [line.split() for line in f]\nprint(len(rows))\n';
      const [result] = await fixed([source]);
      expect(result).toBe(
        'with open("x.txt") as f:  # input\n    header = f.readline()\n\n    rows = [line.split() for line in f]\nprint(len(rows))\n'
      );
    });

    it('wraps inside an indented block and keeps multi-line strings intact', async () => {
      const source =
        'def save(p, rows):\n    out = open(p, "w")\n    out.write("""a\nb""")\n    for row in rows:\n        print(row, file=out)\n    return len(rows)\n';
      const [result] = await fixed([source]);
      expect(result).toBe(
        'def save(p, rows):\n    with open(p, "w") as out:\n        out.write("""a\nb""")\n        for row in rows:\n            print(row, file=out)\n    return len(rows)\n'
      );
    });

    it('accepts eager consumers and loop wrappers', async () => {
      const source =
        'f = open(p)\nfor i, row in enumerate(csv.reader(f)):\n    pass\ncfg = json.load(f)\n';
      const [result] = await fixed([source]);
      expect(result).toBe(
        'with open(p) as f:\n    for i, row in enumerate(csv.reader(f)):\n        pass\n    cfg = json.load(f)\n'
      );
    });

    it.each([
      [
        'a lazy reader kept after the block',
        'f = open(p)\nreader = csv.reader(f)\nfor row in reader:\n    pass'
      ],
      [
        'a generator over the file',
        'f = open(p)\nlines = (l.strip() for l in f)'
      ],
      ['a closure', 'f = open(p)\nget = lambda: f.read()'],
      ['a bound method escaping', 'f = open(p)\nread = f.read'],
      ['a use before the statement', 'print(f)\nf = open(p)\nf.read()'],
      ['a use outside the block', 'if c:\n    f = open(p)\nx = f.read()'],
      ['another statement on the same line', 'f = open(p); x = f.read()'],
      ['a statement after a colon', 'if c: f = open(p)'],
      ['an attribute target', 'self.f = open(p)'],
      ['tab indentation', 'if c:\n\tf = open(p)\n\tx = f.read()']
    ])('no fix for %s', async (_, source) => {
      expect((await only(source)).fix).toBeNull();
    });
  });

  it('follows edits of other cells when re-run incrementally', async () => {
    const analyzer = new NotebookAnalyzer(await testParser(), [ML601]);
    try {
      let [finding] = analyzer.analyze(codeCells(['f = open(p)', 'x = 1']));
      expect(finding).toMatchObject({ cell: 0, severity: 'warning' });
      expect(finding.fix).not.toBeNull();
      [finding] = analyzer.analyze(codeCells(['f = open(p)', 'f.close()']));
      expect(finding).toMatchObject({ cell: 0, severity: 'info', fix: null });
      [finding] = analyzer.analyze(codeCells(['y = f.read()', 'f = open(p)']));
      expect(finding).toMatchObject({ cell: 1, severity: 'warning' });
      [finding] = analyzer.analyze(
        codeCells(['import pathlib', 'y = 2', 'x = open(p).read()'])
      );
      const [result] = applyEdits(
        ['x = open(p).read()'],
        finding.fix!.edits.map(e => ({ ...e, cell: 0 }))
      );
      expect(result).toBe('x = pathlib.Path(p).read_text()');
    } finally {
      analyzer.dispose();
    }
  });
});

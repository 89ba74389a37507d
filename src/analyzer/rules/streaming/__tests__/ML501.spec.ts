import { ML501 } from '../ML501-read-whole-file';
import { applyEdits, check, parsesCleanly } from '../../../__tests__/harness';

describe('ML501 read-whole-file', () => {
  it.each([
    [
      'with ... as f',
      'with open(p) as f:\n    for line in f.readlines():\n        print(line)\n',
      1,
      16,
      'with open(p) as f:\n    for line in f:\n        print(line)\n'
    ],
    [
      'f = open(...)',
      'f = open(p)\nfor line in f.readlines():\n    n += 1\nf.close()\n',
      1,
      12,
      'f = open(p)\nfor line in f:\n    n += 1\nf.close()\n'
    ],
    [
      'an inline open',
      'for line in open(p).readlines():\n    n += 1\n',
      0,
      12,
      'for line in open(p):\n    n += 1\n'
    ],
    [
      'a list comprehension',
      'with open(p) as f:\n    rows = [l.split(",") for l in f.readlines() if l]\n',
      1,
      34,
      'with open(p) as f:\n    rows = [l.split(",") for l in f if l]\n'
    ],
    [
      'gzip in a function',
      'import gzip\ndef count(p):\n    with gzip.open(p, "rt") as g:\n        return sum(1 for _ in [x for x in g.readlines()])\n',
      3,
      42,
      'import gzip\ndef count(p):\n    with gzip.open(p, "rt") as g:\n        return sum(1 for _ in [x for x in g])\n'
    ]
  ])(
    'flags and fixes for line in %s',
    async (_, source, line, column, expected) => {
      const findings = await check(ML501, source);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        rule: 'ML501',
        severity: 'info',
        line,
        column
      });
      expect(findings[0].message).toContain('readlines()');
      const [fixed] = applyEdits([source], findings[0].fix!.edits);
      expect(fixed).toBe(expected);
      expect(await parsesCleanly(fixed)).toBe(true);
      expect(await check(ML501, fixed)).toHaveLength(0);
    }
  );

  it.each([
    [
      'read().splitlines() in the loop',
      'with open(p) as f:\n    for line in f.read().splitlines():\n        pass',
      1,
      16
    ],
    [
      'readlines() kept for one loop',
      'with open(p) as f:\n    lines = f.readlines()\nfor line in lines:\n    pass',
      1,
      12
    ],
    [
      'read() kept for one splitlines loop',
      'with open(p) as f:\n    text = f.read()\nfor line in text.splitlines():\n    pass',
      1,
      11
    ],
    [
      'readlines() kept for one comprehension',
      'f = open(p)\nlines = f.readlines()\nf.close()\nwords = [l.split() for l in lines]',
      1,
      8
    ],
    [
      'readlines() kept for one loop past its header',
      'with open(p) as fh:\n    lines = fh.readlines()\nfor line in lines[1:]:\n    rows.append(line.split(","))',
      1,
      12
    ]
  ])(
    'flags %s, anchored at the read call, without a fix',
    async (_, source, line, column) => {
      const findings = await check(ML501, source);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ line, column, fix: null });
    }
  );

  it.each([
    [
      'readlines() sliced at both ends (the last lines matter)',
      'with open(p) as fh:\n    lines = fh.readlines()\nfor line in lines[1:-1]:\n    pass'
    ],
    [
      'read() parsed whole',
      'with open(p) as f:\n    cfg = json.loads(f.read())'
    ],
    [
      'read() kept and parsed',
      'with open(p) as f:\n    text = f.read()\ndata = json.loads(text)'
    ],
    [
      'lines used twice',
      'with open(p) as f:\n    lines = f.readlines()\nfor l in lines:\n    pass\nprint(len(lines))'
    ],
    [
      'lines used in a later cell',
      [
        'with open(p) as f:\n    lines = f.readlines()\nfor l in lines:\n    pass',
        'lines[0]'
      ]
    ],
    [
      'text iterated by character',
      'with open(p) as f:\n    for ch in f.read():\n        pass'
    ],
    [
      'read(n) chunks',
      'with open(p) as f:\n    for b in f.read(1024):\n        pass'
    ],
    [
      'readlines with a hint',
      'with open(p) as f:\n    for line in f.readlines(100):\n        pass'
    ],
    [
      'a body that reads the file too',
      'with open(p) as f:\n    for line in f.readlines():\n        f.seek(0)'
    ],
    ['an unknown object', 'for line in stream.readlines():\n    pass'],
    [
      'a name not bound to a file',
      'buf = io.StringIO(s)\nfor line in buf.readlines():\n    pass'
    ],
    [
      'a generator expression',
      'with open(p) as f:\n    g = (l for l in f.readlines())'
    ],
    [
      'already iterating the file',
      'with open(p) as f:\n    for line in f:\n        pass'
    ]
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML501, source)).toHaveLength(0);
  });

  // rev 3 (real notebooks): the lines split off a whole read
  it.each([
    [
      'lines = f.read().splitlines() then one loop',
      'with open(p) as f:\n    data = f.read().splitlines()\nfor d in data:\n    out.append(d)\n'
    ],
    [
      'open(p).read().strip().split("\\n") in a loop header',
      'for line in open(p).read().strip().split("\\n"):\n    out.append(line)\n'
    ]
  ])('flags %s (rev 3)', async (_, source) => {
    expect(await check(ML501, source)).toHaveLength(1);
  });
});

import { ML102 } from '../ML102-redundant-copy';
import { applyEdits, check, parsesCleanly } from '../../../__tests__/harness';

describe('ML102 redundant-copy', () => {
  it.each([
    [
      'list(sorted(...))',
      'names = list(sorted(raw))\n',
      [0, 8],
      'names = sorted(raw)\n'
    ],
    ['list([...])', 'xs = list([1, 2, 3])\n', [0, 5], 'xs = [1, 2, 3]\n'],
    [
      'list(<list comprehension>)',
      'ys = list([x * 2 for x in xs])\n',
      [0, 5],
      'ys = [x * 2 for x in xs]\n'
    ],
    ['list(list(...))', 'ys = list(list(it))\n', [0, 5], 'ys = list(it)\n'],
    [
      'tuple(tuple(...))',
      't = tuple(tuple(row))\n',
      [0, 4],
      't = tuple(row)\n'
    ],
    [
      'np.array(np.zeros(...))',
      'grid = np.array(np.zeros((4096, 4096)))\n',
      [0, 7],
      'grid = np.zeros((4096, 4096))\n'
    ],
    [
      'numpy imported under another alias',
      'import numpy as xp\nm = xp.array(xp.random.rand(100, 100))\n',
      [1, 4],
      'import numpy as xp\nm = xp.random.rand(100, 100)\n'
    ],
    ['x.copy().copy()', 'b = df.copy().copy()\n', [0, 4], 'b = df.copy()\n'],
    [
      'copy.deepcopy of a literal',
      'import copy\ncfg = copy.deepcopy({"lr": 0.1, "layers": [64, 32]})\n',
      [1, 6],
      'import copy\ncfg = {"lr": 0.1, "layers": [64, 32]}\n'
    ],
    [
      'copy.copy of a list literal',
      'import copy\nxs = copy.copy([a, b])\n',
      [1, 5],
      'import copy\nxs = [a, b]\n'
    ],
    [
      'a multi-line copy in a call argument',
      'f(list(\n    sorted(xs)\n), k=1)\n',
      [0, 2],
      'f(sorted(xs), k=1)\n'
    ]
  ])('flags %s and fixes it', async (_, source, [line, column], expected) => {
    const findings = await check(ML102, source);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({ rule: 'ML102', line, column });
    const [fixed] = applyEdits([source], finding.fix!.edits);
    expect(fixed).toBe(expected);
    expect(await parsesCleanly(fixed)).toBe(true);
    expect(await check(ML102, fixed)).toHaveLength(0);
  });

  it('names the call and the copied expression', async () => {
    const [finding] = await check(ML102, 'names = list(sorted(raw))\n');
    expect(finding.message).toContain('`list(...)`');
    expect(finding.message).toContain('`sorted(raw)`');
  });

  it.each([
    ['list(x) of an unknown iterable', 'xs = list(rows)\n'],
    ['df.copy() before mutation', 'out = df.copy()\nout["a"] = 0\n'],
    ['list of a generator', 'xs = list(x for x in rows)\n'],
    [
      'np.array with a dtype conversion',
      'a = np.array(np.zeros(3), dtype=int)\n'
    ],
    ['np.array of an unknown call', 'a = np.array(load())\n'],
    ['np.array of a list', 'a = np.array([1, 2, 3])\n'],
    [
      'deepcopy of a literal holding names',
      'import copy\nc = copy.deepcopy([model, opt])\n'
    ],
    ['deepcopy of a variable', 'import copy\nc = copy.deepcopy(cfg)\n'],
    ['copy with arguments', 'b = df.copy(deep=True).copy()\n'],
    ['a single copy', 'b = x.copy()\n'],
    ['tuple of a list', 't = tuple([1, 2])\n'],
    ['list rebound by a method name', 'xs = obj.list(sorted(x))\n'],
    ['a splat argument', 'xs = list(*[sorted(x)])\n']
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML102, source)).toHaveLength(0);
  });
});

import { ML503 } from '../ML503-materialized-iterable';
import { applyEdits, check, parsesCleanly } from '../../../__tests__/harness';

describe('ML503 materialized-iterable', () => {
  it.each([
    [
      'list(range(n))',
      'for i in list(range(n)):\n    total += i\n',
      'for i in range(n):\n    total += i\n',
      9
    ],
    [
      'list(d.keys()) with reads',
      'for k in list(d.keys()):\n    print(k, d[k], d.get(k), len(d))\n',
      'for k in d.keys():\n    print(k, d[k], d.get(k), len(d))\n',
      9
    ],
    [
      'list(d.items())',
      'for k, v in list(d.items()):\n    out[k] = v\n',
      'for k, v in d.items():\n    out[k] = v\n',
      12
    ],
    [
      'list(zip(...))',
      'for a, b in list(zip(xs, ys)):\n    print(a + b)\n',
      'for a, b in zip(xs, ys):\n    print(a + b)\n',
      12
    ],
    [
      'a generator argument',
      'for y in list(x * 2 for x in xs):\n    print(y)\n',
      'for y in (x * 2 for x in xs):\n    print(y)\n',
      9
    ],
    [
      'a list comprehension source',
      'squares = [i * i for i in list(range(n))]\n',
      'squares = [i * i for i in range(n)]\n',
      26
    ],
    [
      'a conditional argument (parenthesized)',
      'out = {k for k in list(a.keys() if c else b.keys())}\n',
      'out = {k for k in (a.keys() if c else b.keys())}\n',
      18
    ],
    [
      'a name bound to a generator in the cell',
      'rows = (r for r in f)\nfor row in list(rows):\n    print(row)\n',
      'rows = (r for r in f)\nfor row in rows:\n    print(row)\n',
      11
    ]
  ])('flags and fixes %s', async (_, source, expected, column) => {
    const findings = await check(ML503, source);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML503',
      severity: 'info',
      line: source.split('\n').findIndex(l => l.includes('list(')),
      column
    });
    const [fixed] = applyEdits([source], findings[0].fix!.edits);
    expect(fixed).toBe(expected);
    expect(await parsesCleanly(fixed)).toBe(true);
    expect(await check(ML503, fixed)).toHaveLength(0);
  });

  it('names the iterable in the message', async () => {
    const [finding] = await check(ML503, 'for k in list(d.keys()):\n    pass');
    expect(finding.message).toContain('list(d.keys())');
  });

  it.each([
    [
      'deleting keys while looping',
      'for k in list(d.keys()):\n    if d[k] is None:\n        del d[k]'
    ],
    ['inserting keys', 'for k in list(d):\n    d[k + "_copy"] = d[k]'],
    ['popping', 'for k in list(cache):\n    cache.pop(k)'],
    [
      'removing from the source list',
      'for x in list(items):\n    if bad(x):\n        items.remove(x)'
    ],
    [
      'appending to an attribute source',
      'for x in list(self.queue):\n    self.queue.append(x)'
    ],
    [
      'consuming an iterator in the body',
      'for x in list(it):\n    y = next(it)'
    ],
    [
      'iterating the source again',
      'for x in list(it):\n    for y in it:\n        pass'
    ],
    [
      'passing the source to an unknown function',
      'for k in list(d):\n    cleanup(d, k)'
    ],
    ['a mutating comprehension', 'vals = [d.pop(k) for k in list(d)]'],
    ['a generator expression (laziness)', 'g = (k for k in list(d))'],
    [
      'list() outside a loop header',
      'keys = list(d.keys())\nfor k in keys:\n    pass'
    ],
    [
      'a nested comprehension clause',
      'pairs = [(a, b) for a in xs for b in list(ys)]'
    ],
    ['list of a list literal (ML102)', 'for x in list([1, 2, 3]):\n    pass'],
    ['list of sorted (ML102)', 'for x in list(sorted(xs)):\n    pass'],
    ['list with a splat', 'for x in list(*args):\n    pass'],
    ['tuple()', 'for x in tuple(xs):\n    pass'],
    // The saving is not shown by the source: `rows` may already be a list
    // (the copy is a few pointers) or an array (list() makes row views).
    ['a name of unknown kind', 'for row in list(rows):\n    print(row)'],
    [
      'an array',
      'masks = np.stack(parts)\nfor m in list(masks):\n    print(m)'
    ],
    // 100 items: under a kilobyte either way.
    ['a small literal range', 'for i in list(range(100)):\n    print(i)']
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML503, source)).toHaveLength(0);
  });
});

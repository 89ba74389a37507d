import { ML103 } from '../ML103-quadratic-accumulation';
import { check } from '../../../__tests__/harness';

describe('ML103 quadratic-accumulation', () => {
  it('flags df = pd.concat([df, ...]) in a loop, anchored at the call', async () => {
    const source = [
      'df = pd.DataFrame()',
      'for path in paths:',
      '    df = pd.concat([df, pd.read_csv(path)], ignore_index=True)'
    ].join('\n');
    const findings = await check(ML103, source);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML103',
      severity: 'warning',
      line: 2,
      column: 9,
      fix: null
    });
    expect(findings[0].message).toContain('`df = pd.concat([df, ...])`');
    expect(findings[0].message).toContain('once after the loop');
  });

  it.each([
    [
      'np.append',
      'arr = np.array([])\nfor x in xs:\n    arr = np.append(arr, x)\n',
      2,
      10
    ],
    [
      'np.r_ (rev 2)',
      'import numpy as np\nacc = np.array([])\nfor x in xs:\n    acc = np.r_[acc, [x]]\n',
      3,
      10
    ],
    ['np.c_ (rev 2)', 'for col in cols:\n    m = np.c_[m, col]\n', 1, 8],
    [
      'np.vstack',
      'm = first\nfor row in rows:\n    m = np.vstack([m, row])\n',
      2,
      8
    ],
    [
      'np.hstack with a tuple',
      'for c in cols:\n    m = np.hstack((m, c))\n',
      1,
      8
    ],
    [
      'np.concatenate, the accumulator second',
      'while True:\n    a = np.concatenate([chunk(), a])\n',
      1,
      8
    ],
    [
      'df.append',
      'for r in records:\n    df = df.append(r, ignore_index=True)\n',
      1,
      9
    ],
    [
      'df.loc[len(df)] = ...',
      'for r in records:\n    df.loc[len(df)] = r\n',
      1,
      4
    ],
    [
      'an attribute accumulator in a method',
      'class Log:\n    def add_all(self, parts):\n        for p in parts:\n            self.frame = pd.concat([self.frame, p])\n',
      3,
      25
    ],
    [
      'pandas imported by name',
      'from pandas import concat\nfor p in parts:\n    out = concat([out, p])\n',
      2,
      10
    ],
    [
      'nested in an if inside the loop',
      'for p in parts:\n    if p is not None:\n        out = pd.concat([out, p])\n',
      2,
      14
    ],
    [
      'an accumulator the first piece seeds (if acc is None)',
      'for row in rows:\n    if image is None:\n        image = row\n    else:\n        image = np.vstack((image, row))\n',
      4,
      16
    ],
    [
      'an accumulator the first iteration seeds (if i == 0)',
      'for i, part in enumerate(parts):\n    if i == 0:\n        out = part\n    else:\n        out = pd.concat([out, part])\n',
      4,
      14
    ]
  ])('flags %s', async (_, source, line, column) => {
    const findings = await check(ML103, source);
    expect(findings.map(f => [f.line, f.column])).toEqual([[line, column]]);
  });

  it.each([
    [
      'one concat after the loop',
      'parts = []\nfor p in paths:\n    parts.append(load(p))\ndf = pd.concat(parts)\n'
    ],
    ['list .append', 'rows = []\nfor r in records:\n    rows.append(r)\n'],
    ['concat outside a loop', 'df = pd.concat([df, extra])\n'],
    [
      'concat of other frames in a loop',
      'for k in keys:\n    out = pd.concat([left[k], right[k]])\n'
    ],
    [
      'the loop variable rebuilt',
      'for df in frames:\n    df = pd.concat([df, extra])\n'
    ],
    [
      'accumulator reset every iteration, also under a condition on something else',
      'for g in groups:\n    if g.ok:\n        acc = g\n    else:\n        acc = pd.concat([acc, g])\n'
    ],
    [
      'accumulator reset every iteration',
      'for g in groups:\n    acc = pd.DataFrame()\n    acc = pd.concat([acc, g])\n'
    ],
    ['np.append to another array', 'for x in xs:\n    b = np.append(a, x)\n'],
    [
      'a .loc write at a fixed label',
      'for r in records:\n    df.loc[r.key] = r\n'
    ],
    [
      'a concat inside a function defined in the loop',
      'for p in ps:\n    def f(df):\n        df = pd.concat([df, p])\n        return df\n'
    ]
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML103, source)).toHaveLength(0);
  });
});

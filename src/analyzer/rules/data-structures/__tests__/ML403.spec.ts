import { LARGE_ELEMENTS, ML403 } from '../ML403-dense-sparse';
import { check } from '../../../__tests__/harness';

describe('ML403 dense-sparse', () => {
  it('flags np.zeros((N, M)) filled from an edge list, anchored at the allocation', async () => {
    const source = [
      'import numpy as np',
      'adj = np.zeros((50_000, 50_000))',
      'for i, j in edges:',
      '    adj[i, j] = 1'
    ].join('\n');
    const findings = await check(ML403, source);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML403',
      severity: 'warning',
      cell: 0,
      line: 1,
      column: 6,
      endColumn: 32,
      fix: null
    });
    expect(findings[0].message).toContain('`adj`');
    expect(findings[0].message).toContain('50000 × 50000');
    expect(findings[0].message).toContain('2,500,000,000 elements');
    expect(findings[0].message).toContain('18.6 GiB');
    expect(findings[0].message).toContain('cell 1, line 4');
    expect(findings[0].message).toContain('scipy.sparse');
  });

  it.each([
    [
      'exactly the threshold as N*M',
      'a = np.zeros(10_000 * 1_000)\nfor k in idx:\n    a[k] = 1.0\n'
    ],
    [
      'names bound to constants in another cell',
      [
        'N = 100_000\nM = int(1e3)\n',
        'm = np.zeros((N, M), dtype=np.float32)\nfor r, c, v in triples:\n    m[r, c] += v\n'
      ]
    ],
    [
      'a[i][j] indexing',
      'a = np.zeros((5000, 5000))\nfor i, j in pairs:\n    a[i][j] = 1\n'
    ],
    [
      'a conditional fill in a range sweep',
      'a = np.zeros((5000, 5000))\nfor i in range(5000):\n    for j in range(5000):\n        if close(i, j):\n            a[i, j] = 1\n'
    ],
    [
      'a diagonal fill',
      'a = np.zeros((5000, 5000))\nfor i in range(5000):\n    a[i, i] = 1\n'
    ],
    [
      'indices computed from the loop variable',
      'a = np.zeros((5000, 5000))\nfor k in range(nnz):\n    a[rows[k], cols[k]] = vals[k]\n'
    ],
    [
      'allocation and fill inside a function',
      'def build(edges):\n    a = np.zeros((5000, 5000))\n    for i, j in edges:\n        a[i, j] = 1\n    return a\n'
    ],
    [
      'the fill in a later cell',
      [
        'a = numpy.zeros(shape=(5000, 5000))\n',
        'for i, j in edges:\n    a[i, j] = 1\n'
      ]
    ]
  ])('flags %s', async (_, sources) => {
    expect(await check(ML403, sources)).toHaveLength(1);
  });

  it('reports the dtype size', async () => {
    const [finding] = await check(
      ML403,
      'a = np.zeros((5000, 5000), dtype="uint8")\nfor i, j in e:\n    a[i, j] = 1\n'
    );
    expect(finding.message).toContain('23.8 MiB');
  });

  it.each([
    [
      'small arrays',
      'a = np.zeros((1000, 1000))\nfor i, j in edges:\n    a[i, j] = 1\n'
    ],
    [
      'just below the threshold',
      `a = np.zeros(${LARGE_ELEMENTS - 1})\nfor k in idx:\n    a[k] = 1\n`
    ],
    [
      'arrays filled by vectorized operations',
      'a = np.zeros((5000, 5000))\na[rows, cols] = 1\na += b\n'
    ],
    [
      'a row-wise fill with slices',
      'a = np.zeros((5000, 5000))\nfor i in range(5000):\n    a[i, :] = row(i)\n'
    ],
    [
      'a full dense sweep of every element',
      'a = np.zeros((5000, 5000))\nfor i in range(5000):\n    for j in range(5000):\n        a[i, j] = f(i, j)\n'
    ],
    [
      'an index that does not depend on the loop',
      'a = np.zeros((5000, 5000))\nfor _ in range(3):\n    a[mask] = 1\n'
    ],
    [
      'too few indices for the shape',
      'a = np.zeros((5000, 5000))\nfor i in idx:\n    a[i] = 1\n'
    ],
    [
      'a shape not known from literals',
      'a = np.zeros((n, m))\nfor i, j in edges:\n    a[i, j] = 1\n'
    ],
    [
      'a constant bound twice',
      [
        'N = 5000\n',
        'N = 10\na = np.zeros((N, N))\nfor i, j in e:\n    a[i, j] = 1\n'
      ]
    ],
    [
      'np.ones (not mostly zeros)',
      'a = np.ones((5000, 5000))\nfor i, j in edges:\n    a[i, j] = 0\n'
    ],
    [
      'a fill of another array',
      'a = np.zeros((5000, 5000))\nfor i, j in edges:\n    b[i, j] = 1\n'
    ],
    ['a fill outside a loop', 'a = np.zeros((5000, 5000))\na[0, 0] = 1\n']
  ])('does not flag %s', async (_, sources) => {
    expect(await check(ML403, sources)).toHaveLength(0);
  });
});

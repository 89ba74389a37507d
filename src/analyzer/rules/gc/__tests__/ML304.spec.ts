import { ML304 } from '../ML304-unbounded-cache';
import { check } from '../../../__tests__/harness';

describe('ML304 unbounded-cache', () => {
  it('flags @lru_cache(maxsize=None) on a DataFrame function, anchored at the decorator', async () => {
    const source = [
      'import functools',
      '',
      '@functools.lru_cache(maxsize=None)',
      'def summarise(df, key):',
      '    return df.groupby(key).sum()'
    ].join('\n');
    const findings = await check(ML304, source);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML304',
      severity: 'info',
      line: 2,
      column: 0,
      endColumn: 34,
      fix: null
    });
    expect(findings[0].message).toContain('`summarise`');
    expect(findings[0].message).toContain('`df`');
    expect(findings[0].message).not.toContain('`key`');
  });

  it.each([
    [
      '@cache with an array annotation',
      'from functools import cache\n@cache\ndef norm(a: np.ndarray):\n    return a\n',
      1
    ],
    [
      'bare @cache and a list annotation',
      '@cache\ndef total(xs: list[int]) -> int:\n    return sum(xs)\n',
      0
    ],
    [
      'lru_cache(None) with a _df name',
      '@lru_cache(None)\ndef clean(train_df):\n    return train_df\n',
      0
    ],
    [
      'a typed default Sequence',
      '@functools.cache\ndef f(rows: Sequence[str] = ()):\n    return rows\n',
      0
    ],
    [
      'the X feature matrix',
      '@functools.cache\ndef fit(X, y_values):\n    return X\n',
      0
    ],
    [
      'a staticmethod (no self: not ML303)',
      'class P:\n    @staticmethod\n    @functools.cache\n    def prep(data):\n        return data\n',
      2
    ]
  ])('flags %s', async (_, source, line) => {
    const findings = await check(ML304, source);
    expect(findings.map(f => f.line)).toEqual([line]);
  });

  it.each([
    [
      'small scalar-parameter functions',
      '@functools.cache\ndef fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n'
    ],
    [
      'scalar parameters without annotations',
      '@lru_cache(maxsize=None)\ndef lookup(name, k=3):\n    return name * k\n'
    ],
    [
      'a scalar annotation beats a big-sounding name',
      '@functools.cache\ndef f(data: str):\n    return data\n'
    ],
    [
      'a path parameter',
      '@functools.cache\ndef load(data_path):\n    return open(data_path).read()\n'
    ],
    [
      'a bounded lru_cache',
      '@lru_cache(maxsize=16)\ndef f(df):\n    return df\n'
    ],
    [
      'lru_cache with its default size',
      '@functools.lru_cache\ndef f(df):\n    return df\n'
    ],
    [
      'lru_cache() with its default size',
      '@lru_cache()\ndef f(df):\n    return df\n'
    ],
    [
      'only *args and **kwargs',
      '@functools.cache\ndef f(*items, **mapping):\n    return 1\n'
    ],
    [
      'a method (ML303 reports it)',
      'class A:\n    @functools.cache\n    def f(self, df):\n        return df\n'
    ],
    ['an uncached function', 'def f(df):\n    return df\n']
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML304, source)).toHaveLength(0);
  });
});

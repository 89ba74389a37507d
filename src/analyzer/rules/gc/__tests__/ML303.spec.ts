import { ML303 } from '../ML303-cached-method';
import { check } from '../../../__tests__/harness';

describe('ML303 cached-method', () => {
  it('flags @lru_cache on a method, anchored at the decorator', async () => {
    const source = [
      'from functools import lru_cache',
      '',
      'class Model:',
      '    @lru_cache(maxsize=None)',
      '    def features(self, k):',
      '        return expensive(self.data, k)'
    ].join('\n');
    const findings = await check(ML303, source);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML303',
      severity: 'warning',
      line: 3,
      column: 4,
      endLine: 3,
      endColumn: 28,
      fix: null
    });
    expect(findings[0].message).toContain('`Model.features`');
    expect(findings[0].message).toContain('cached_property');
  });

  it.each([
    [
      '@functools.lru_cache',
      'import functools\nclass A:\n    @functools.lru_cache\n    def f(self):\n        return 1\n',
      2
    ],
    [
      '@functools.lru_cache(maxsize=32)',
      'import functools\nclass A:\n    @functools.lru_cache(maxsize=32)\n    def f(self, x):\n        return x\n',
      2
    ],
    [
      '@functools.cache',
      'import functools\nclass A:\n    @functools.cache\n    def f(self):\n        return 1\n',
      2
    ],
    [
      'bare @cache (import in another cell)',
      'class A:\n    @cache\n    def f(self):\n        return 1\n',
      1
    ],
    [
      'stacked under @property',
      'class A:\n    @property\n    @lru_cache()\n    def f(self):\n        return 1\n',
      2
    ],
    [
      'a nested class',
      'def make():\n    class A:\n        @lru_cache\n        def f(self):\n            return 1\n    return A\n',
      2
    ]
  ])('flags %s', async (_, source, line) => {
    const findings = await check(ML303, source);
    expect(findings.map(f => f.line)).toEqual([line]);
  });

  it.each([
    [
      'a staticmethod',
      'class A:\n    @staticmethod\n    @lru_cache(maxsize=None)\n    def f(x):\n        return x\n'
    ],
    [
      'a classmethod',
      'class A:\n    @classmethod\n    @functools.cache\n    def f(cls, x):\n        return x\n'
    ],
    [
      'a module-level function with maxsize set',
      '@functools.lru_cache(maxsize=256)\ndef f(x):\n    return x\n'
    ],
    [
      'a module-level function with @cache',
      '@functools.cache\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n'
    ],
    [
      'cached_property',
      'from functools import cached_property\nclass A:\n    @cached_property\n    def f(self):\n        return 1\n'
    ],
    [
      'a cache from another library',
      'from mylib import cache\nclass A:\n    @cache\n    def f(self):\n        return 1\n'
    ],
    [
      'an unrelated decorated method',
      'class A:\n    @memory.cache\n    def f(self):\n        return 1\n'
    ],
    [
      'a cached function nested in a method',
      'class A:\n    def f(self):\n        @lru_cache\n        def g(x):\n            return x\n        return g\n'
    ]
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML303, source)).toHaveLength(0);
  });
});

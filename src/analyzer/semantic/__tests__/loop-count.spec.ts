import { knownIterations, runsFewTimes } from '../loop-count';
import { testParser } from '../../__tests__/harness';
import type { SyntaxNode } from '../../syntax/syntax';
import { syntaxTree } from '../../syntax/syntax-tree';

/** The first `for` statement of `source`. */
async function firstLoop(source: string): Promise<SyntaxNode> {
  const tree = (await testParser()).parse(source)!;
  return syntaxTree(tree, source).descendantsOfType('for_statement')[0];
}

describe('loop-count', () => {
  it.each([
    ['a literal list', 'for x in [1, 2, 3]:\n    pass', 3],
    ['a range of literals', 'for t in range(0, 56, 7):\n    pass', 8],
    ['the first items of anything', 'for c in classes[:6]:\n    pass', 6],
    ['a literal span', 'for i in idx[2:10]:\n    pass', 8],
    ['a slice of a shorter literal', 'for c in ["a", "b"][:6]:\n    pass', 2],
    ['items of a literal dict', 'for k, v in {"a": 1}.items():\n    pass', 1]
  ])('counts %s', async (_, source, count) => {
    expect(knownIterations(await firstLoop(source))).toBe(count);
  });

  it.each([
    ['data', 'for row in rows:\n    pass'],
    ['an open-ended slice', 'for c in classes[6:]:\n    pass'],
    ['a stepped slice', 'for c in classes[:100:2]:\n    pass'],
    ['a computed bound', 'for c in classes[:n]:\n    pass']
  ])('does not count %s', async (_, source) => {
    expect(knownIterations(await firstLoop(source))).toBeNull();
  });

  it('multiplies nested counts against a limit', async () => {
    const loop = await firstLoop(
      'for a in range(10):\n    for b in range(3):\n        x = a * b'
    );
    const inner = loop.descendantsOfType('assignment')[0];
    expect(runsFewTimes(inner)).toBe(true);
    expect(runsFewTimes(inner, null, false, 20)).toBe(false);
  });
});

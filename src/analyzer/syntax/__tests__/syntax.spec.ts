/**
 * The analyzer's syntax tree must say exactly what tree-sitter's does: every
 * node's type, namedness, offsets, positions, field, text and error flags,
 * on every cell of the realistic fixture notebooks and on syntax that
 * tests the builder's shortcuts (spread-out `not in`, error recovery,
 * missing tokens, non-ASCII text).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Node, Tree } from 'web-tree-sitter';
import { parseNotebook } from '../../../cli/load';
import { maskCell } from '../source/mask';
import type { SyntaxNode } from '../syntax';
import { syntaxTree, TYPES_WITH_FIELDS } from '../syntax-tree';
import { testParser } from '../../__tests__/harness';

const REAL = path.join(__dirname, '..', '..', '__tests__', 'fixtures', 'real');

/** Every difference between the two trees (empty when they agree). */
function differences(tree: Tree, root: SyntaxNode): string[] {
  const found: string[] = [];
  const compare = (expected: Node, actual: SyntaxNode, where: string) => {
    const fields: [string, unknown, unknown][] = [
      ['type', expected.type, actual.type],
      ['isNamed', expected.isNamed, actual.isNamed],
      ['isMissing', expected.isMissing, actual.isMissing],
      ['isError', expected.isError, actual.isError],
      ['hasError', expected.hasError, actual.hasError],
      ['startIndex', expected.startIndex, actual.startIndex],
      ['endIndex', expected.endIndex, actual.endIndex],
      ['startPosition', expected.startPosition, actual.startPosition],
      ['endPosition', expected.endPosition, actual.endPosition],
      ['text', expected.text, actual.text],
      ['childCount', expected.childCount, actual.childCount]
    ];
    for (const [name, want, got] of fields) {
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        found.push(`${where} ${expected.type}.${name}: ${want} != ${got}`);
      }
    }
    const count = Math.min(expected.childCount, actual.childCount);
    for (let i = 0; i < count; i++) {
      if (expected.fieldNameForChild(i) !== actual.fieldNameForChild(i)) {
        found.push(`${where}/${i} field differs`);
      }
      compare(expected.child(i)!, actual.child(i)!, `${where}/${i}`);
    }
  };
  compare(tree.rootNode, root, '');
  return found;
}

async function check(source: string): Promise<string[]> {
  const parser = await testParser();
  const { masked } = maskCell(source);
  const tree = parser.parse(masked)!;
  try {
    return differences(tree, syntaxTree(tree, masked));
  } finally {
    tree.delete();
  }
}

describe('syntaxTree', () => {
  it.each([
    ['plain code', 'import numpy as np\nx = np.zeros((3, 4))\nprint(x[0])\n'],
    ['spread-out operators', 'y = (a not\n    in b) or (c is\n  not d)\n'],
    ['an error', 'def f(:\n    return 1\nx = [1, 2\n'],
    ['a missing token', 'print("a"\n'],
    ['non-ASCII text', 's = "héllo €𝄞" + name\nt = f"{s!r:>{width}}"\n'],
    ['keywords as names', 'print = 1\nmatch = type\nexec("x")\n'],
    [
      'match and decorators',
      '@dataclass(slots=True)\nclass P:\n    x: int = 0\nmatch p:\n    case {"k": v, **rest}:\n        pass\n'
    ],
    ['an empty cell', ''],
    ['IPython syntax', '%time x = 1\n!ls -la\ny = x?\n']
  ])('matches tree-sitter on %s', async (_, source) => {
    expect(await check(source)).toEqual([]);
  });

  it('matches tree-sitter on every cell of the fixture notebooks', async () => {
    const notebooks = fs.readdirSync(REAL).filter(n => n.endsWith('.ipynb'));
    expect(notebooks.length).toBeGreaterThan(10);
    for (const name of notebooks) {
      const { cells } = parseNotebook(
        fs.readFileSync(path.join(REAL, name), 'utf-8')
      );
      for (const cell of cells.filter(c => c.kind === 'code')) {
        const found = await check(cell.source);
        expect({ name, found: found.slice(0, 3) }).toEqual({ name, found: [] });
      }
    }
  });

  it('knows which node types have fields, as the grammar says', () => {
    const nodeTypes: { type: string; named: boolean; fields?: object }[] =
      JSON.parse(
        fs.readFileSync(
          require.resolve('tree-sitter-python/src/node-types.json'),
          'utf-8'
        )
      );
    const withFields = nodeTypes
      .filter(t => t.named && t.fields && Object.keys(t.fields).length > 0)
      .map(t => t.type)
      .sort();
    expect([...TYPES_WITH_FIELDS].sort()).toEqual(withFields);
  });

  it('finds descendants by type in document order, itself included', async () => {
    const parser = await testParser();
    const source = 'f(g(x))\ny = [h(1)]\n';
    const tree = parser.parse(source)!;
    const root = syntaxTree(tree, source);
    const outer = root.descendantsOfType('call')[0];
    expect(outer.descendantsOfType('call').map(n => n.text)).toEqual([
      'f(g(x))',
      'g(x)'
    ]);
    expect(
      root.descendantsOfType(['identifier', 'integer']).map(n => n.text)
    ).toEqual(['f', 'g', 'x', 'y', 'h', '1']);
    expect(root.namedDescendantForPosition({ row: 1, column: 5 }).text).toBe(
      'h'
    );
    tree.delete();
  });
});

import { ML302 } from '../ML302-reference-cycle';
import { check } from '../../../__tests__/harness';

const tree = (back: string, store = 'self.children.append(child)') =>
  [
    'class Node:',
    '    def __init__(self):',
    '        self.children = []',
    '        self.parent = None',
    '',
    '    def add(self, child):',
    `        ${store}`,
    `        ${back}`
  ].join('\n');

describe('ML302 reference-cycle', () => {
  it('flags child.parent = self with self.children.append(child), anchored at the back-reference', async () => {
    const findings = await check(ML302, tree('child.parent = self'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML302',
      severity: 'info',
      line: 7,
      column: 8,
      fix: null
    });
    expect(findings[0].message).toContain('`child.parent = self`');
    expect(findings[0].message).toContain('self.children');
    expect(findings[0].message).toContain('weakref');
  });

  it.each([
    [
      'self.<attr>[k] = child',
      tree('child.owner = self', 'self.by_name[child.name] = child'),
      7,
      8
    ],
    [
      'back-reference first, then insert',
      tree('self.kids.insert(0, child)', 'child.parent = self'),
      6,
      8
    ],
    [
      'a direct child attribute',
      tree('child.parent = self', 'self.left = child'),
      7,
      8
    ],
    [
      'a typed self in a decorated method',
      'class Tree:\n    @log\n    def graft(self: "Tree", sub):\n        sub.root = self\n        self.subs.add(sub)\n',
      3,
      8
    ],
    ['x.append(x)', 'x = []\nx.append(x)\n', 1, 0],
    [
      'self.items.append(self)',
      'class A:\n    def f(self):\n        self.items.append(self)\n',
      2,
      8
    ],
    ['obj.self_ref = obj', 'obj = Thing()\nobj.self_ref = obj\n', 1, 0],
    ['obj.cache[k] = obj', 'obj = Thing()\nobj.cache["me"] = obj\n', 1, 0]
  ])('flags %s', async (_, source, line, column) => {
    const findings = await check(ML302, source);
    expect(findings.map(f => [f.line, f.column])).toEqual([[line, column]]);
  });

  it.each([
    [
      'a back-reference wrapped in weakref.ref',
      tree('child.parent = weakref.ref(self)')
    ],
    [
      'a back-reference wrapped in weakref.proxy',
      tree('child.parent = weakref.proxy(self)')
    ],
    [
      'children kept in a weakref.WeakSet',
      [
        'import weakref',
        'class Node:',
        '    def __init__(self):',
        '        self.children = weakref.WeakSet()',
        '    def add(self, child):',
        '        self.children.add(child)',
        '        child.parent = self'
      ].join('\n')
    ],
    [
      'children in a WeakValueDictionary imported by name',
      [
        'from weakref import WeakValueDictionary',
        'class Registry:',
        '    def __init__(self):',
        '        self.items = WeakValueDictionary()',
        '    def add(self, key, item):',
        '        self.items[key] = item',
        '        item.registry = self'
      ].join('\n')
    ],
    [
      'a back-reference without storing the child',
      tree('child.parent = self', 'print(child)')
    ],
    ['storing without a back-reference', tree('child.depth = self.depth + 1')],
    ['storing another object in a list', 'xs = []\nxs.append(ys)\n'],
    ['plain rebinding', 'x = x\n'],
    [
      'a subscript of a bare name (an array copies values)',
      'a = np.zeros(3)\na[0] = a\n'
    ],
    [
      'a staticmethod',
      'class A:\n    @staticmethod\n    def link(a, b):\n        a.items.append(b)\n        b.owner = a\n'
    ],
    [
      'a function outside a class',
      'def link(a, b):\n    a.items.append(b)\n    b.owner = a\n'
    ]
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML302, source)).toHaveLength(0);
  });
});

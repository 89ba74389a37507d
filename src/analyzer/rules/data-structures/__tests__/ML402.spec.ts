import { ML402 } from '../ML402-slots-candidate';
import { applyOnlyFix, check } from '../../../__tests__/harness';

const POINT = [
  'class Point:',
  '    def __init__(self, x, y):',
  '        self.x = x',
  '        self.y = y',
  ''
].join('\n');
const LOOP = 'points = [Point(i, 2 * i) for i in range(1_000_000)]\n';

const fixed = (sources: string[]) => applyOnlyFix(ML402, sources);

describe('ML402 slots-candidate', () => {
  it('flags a class instantiated in a comprehension in another cell, anchored at the class line', async () => {
    const findings = await check(ML402, [POINT, LOOP]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML402',
      severity: 'info',
      cell: 0,
      line: 0,
      column: 0,
      endLine: 0,
      endColumn: 11
    });
    expect(findings[0].message).toContain('`Point`');
    expect(findings[0].message).toContain('cell 2, line 1');
    expect(findings[0].message).toContain('__slots__ = ("x", "y")');
    expect((await fixed([POINT, LOOP]))[0]).toBe(
      'class Point:\n    __slots__ = ("x", "y")\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n'
    );
  });

  it('flags a for loop in the same cell and inserts __slots__ after a docstring', async () => {
    const source = [
      'class Edge:',
      '    """A weighted edge."""',
      '',
      '    def __init__(self, a, b, w=1.0):',
      '        self.a, self.b = a, b',
      '        if w:',
      '            self.w = w',
      '',
      '    def scale(self, k):',
      '        self.w *= k',
      '',
      'for u, v in pairs:',
      '    edges.append(Edge(u, v))',
      ''
    ].join('\n');
    const [result] = await fixed([source]);
    expect(result.split('\n').slice(0, 3)).toEqual([
      'class Edge:',
      '    """A weighted edge."""',
      '    __slots__ = ("a", "b", "w")'
    ]);
  });

  it('flags a while loop and a single attribute (trailing comma)', async () => {
    const cells = [
      'class Box(object):\n    def __init__(self, v):\n        self.v = v\n',
      'while more():\n    out.append(Box(1))\n'
    ];
    expect((await fixed(cells))[0]).toContain('__slots__ = ("v",)\n');
  });

  it.each([
    [
      '@dataclass',
      '@dataclass\nclass P:\n    x: int\n    y: int = 0\n',
      '@dataclass(slots=True)\n'
    ],
    [
      '@dataclass()',
      '@dataclass()\nclass P:\n    x: int\n',
      '@dataclass(slots=True)\n'
    ],
    [
      '@dataclasses.dataclass(frozen=True)',
      '@dataclasses.dataclass(frozen=True)\nclass P:\n    x: int\n',
      '@dataclasses.dataclass(frozen=True, slots=True)\n'
    ]
  ])('flags a %s without slots and adds slots=True', async (_, cls, header) => {
    // rev 3: a loop of 10 makes a few instances; the saving needs many
    const [result] = await fixed([cls, 'ps = [P(i) for i in range(n)]\n']);
    expect(result.startsWith(header)).toBe(true);
  });

  it('flags without a fix when a class variable shares an attribute name', async () => {
    const cls =
      'class C:\n    n = 0\n    def __init__(self):\n        self.n = 1\n';
    const findings = await check(ML402, [cls, 'for i in r:\n    C()\n']);
    expect(findings).toHaveLength(1);
    expect(findings[0].fix).toBeNull();
  });

  it('flags without a fix when the notebook uses weakref', async () => {
    const findings = await check(ML402, [
      POINT,
      LOOP,
      'import weakref\nr = weakref.ref(points[0])\n'
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0].fix).toBeNull();
  });

  it.each([
    [
      'a class with __slots__',
      [
        'class Point:\n    __slots__ = ("x", "y")\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n',
        LOOP
      ]
    ],
    [
      'a dataclass with slots',
      ['@dataclass(slots=True)\nclass Point:\n    x: int\n    y: int\n', LOOP]
    ],
    [
      'a class assigning attributes outside __init__',
      [POINT + '    def move(self):\n        self.moved = True\n', LOOP]
    ],
    [
      'a subclass of a non-slotted base',
      [
        'class Point(Base):\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n',
        LOOP
      ]
    ],
    [
      'a class with a metaclass',
      [
        'class Point(metaclass=Meta):\n    def __init__(self, x):\n        self.x = x\n',
        LOOP
      ]
    ],
    ['a class never instantiated in a loop', [POINT, 'p = Point(1, 2)\n']],
    [
      'a class instantiated in the loop header only',
      [POINT, 'for p in [Point(1, 2)]:\n    pass\n']
    ],
    [
      'a class whose instances get new attributes',
      [POINT, LOOP, 'q = Point(0, 0)\nq.label = "origin"\n']
    ],
    [
      'a class using setattr',
      [
        'class Rec:\n    def __init__(self, **kw):\n        self.a = 1\n        for k, v in kw.items():\n            setattr(self, k, v)\n',
        'rs = [Rec() for _ in r]\n'
      ]
    ],
    [
      'a class using cached_property',
      [
        'class P:\n    def __init__(self, x):\n        self.x = x\n    @cached_property\n    def sq(self):\n        return self.x ** 2\n',
        'ps = [P(i) for i in r]\n'
      ]
    ],
    [
      'a class with another decorator',
      [
        '@attr.s\nclass P:\n    def __init__(self, x):\n        self.x = x\n',
        'ps = [P(i) for i in r]\n'
      ]
    ],
    [
      'a class without instance attributes',
      ['class Marker:\n    pass\n', 'ms = [Marker() for _ in r]\n']
    ]
  ])('does not flag %s', async (_, cells) => {
    expect(await check(ML402, cells)).toHaveLength(0);
  });

  // rev 3 (real notebooks): the saving needs many instances
  it.each([
    [
      "a network's layers over a literal list of sizes",
      'class Layer:\n    def __init__(self, n):\n        self.n = n\n        self.w = None\n',
      'layers = [Layer(n) for n in [784, 30, 10]]\n'
    ],
    [
      'a few neurons in range(3)',
      'class Neuron:\n    def __init__(self):\n        self.w = 0\n',
      'ns = []\nfor i in range(3):\n    ns.append(Neuron())\n'
    ]
  ])('does not flag %s (rev 3)', async (_, cls, use) => {
    expect(await check(ML402, [cls, use])).toHaveLength(0);
  });

  it('still flags instances made in a loop over data (rev 3)', async () => {
    const findings = await check(ML402, [
      'class Row:\n    def __init__(self, a):\n        self.a = a\n',
      'rows = [Row(a) for a in range(n_rows)]\n'
    ]);
    expect(findings).toHaveLength(1);
  });
});

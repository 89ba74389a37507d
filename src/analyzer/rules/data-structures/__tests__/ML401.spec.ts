import { ML401, WORTH_ITEMS } from '../ML401-constant-list';
import { applyOnlyFix, check } from '../../../__tests__/harness';

const fixed = (sources: string[]) => applyOnlyFix(ML401, sources);

/** The items of a constant list big enough to be worth a tuple. */
const ITEMS = Array.from({ length: WORTH_ITEMS }, (_, i) => String(i)).join(
  ', '
);
const BIG = `[${ITEMS}]`;

describe('ML401 constant-list', () => {
  // rev 2: CPython compiles inline constant lists in `for` and `in` to tuple
  // constants; rewriting them saves nothing.
  it.each([
    [
      'a membership test',
      'if split in ["val", "test"]:\n    evaluate(split)\n'
    ],
    ['not in', 'ok = code not in [404, 500]\n'],
    ['a for loop', 'for lr in [0.1, 0.01, 0.001]:\n    train(lr)\n'],
    ['a comprehension', 'ys = [f(k) for k in ["a", "b"]]\n'],
    [
      'a teaching cell',
      'for name in ["Alice", "Bob"]:\n    print(f"Hello, {name}")\n'
    ]
  ])('does not flag an inline literal list in %s', async (_, source) => {
    expect(await check(ML401, source)).toHaveLength(0);
  });

  it('does not flag a constant passed to numpy (np.array may keep or copy it)', async () => {
    const cells = [
      `import numpy as np\nWEIGHTS = ${BIG}\n`,
      'w = np.array(WEIGHTS)\nfor x in WEIGHTS:\n    print(x)\n'
    ];
    expect(await check(ML401, cells)).toHaveLength(0);
  });

  it('flags an ALL_CAPS constant only read across cells, anchored at its assignment', async () => {
    const cells = [
      `SPLITS = ${BIG}\n`,
      'for split in SPLITS:\n    print(split, SPLITS.index(split), len(SPLITS))\n',
      'def pick(i):\n    return SPLITS[i] if "val" in SPLITS else sorted(SPLITS)\n',
      'names = ", ".join(SPLITS)\nn = sum(1 for s in SPLITS if s in SPLITS)\n'
    ];
    const findings = await check(ML401, cells);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ cell: 0, line: 0, column: 0 });
    expect(findings[0].message).toContain('`SPLITS`');
    const result = await fixed(cells);
    expect(result[0]).toBe(`SPLITS = (${ITEMS})\n`);
    expect(result.slice(1)).toEqual(cells.slice(1));
  });

  // The standard: a saving known to be tiny is not reported.
  it('does not flag a constant list written with a few items (saves bytes)', async () => {
    const cells = [
      'SPLITS = ["train", "val", "test"]\n',
      'for s in SPLITS:\n    print(s)\n'
    ];
    expect(await check(ML401, cells)).toHaveLength(0);
  });

  it.each([
    [
      'appended to in another cell',
      [`COLORS = ${BIG}\n`, 'COLORS.append("b")\n']
    ],
    ['sorted in place', [`COLORS = ${BIG}\n`, 'COLORS.sort()\n']],
    ['extended with +=', [`COLORS = ${BIG}\n`, 'COLORS += ["b"]\n']],
    ['item assignment', [`COLORS = ${BIG}\n`, 'COLORS[0] = "x"\n']],
    ['del of an item', [`COLORS = ${BIG}\n`, 'del COLORS[0]\n']],
    [
      'passed to an unknown function that may mutate',
      [`COLORS = ${BIG}\n`, 'shuffle(COLORS)\n']
    ],
    ['returned', [`COLORS = ${BIG}\n`, 'def colors():\n    return COLORS\n']],
    ['aliased to another name', [`COLORS = ${BIG}\n`, 'c = COLORS\n']],
    [
      'sliced (a slice of a tuple is a tuple)',
      [`COLS = ${BIG}\n`, 'rest = COLS[1:]\n']
    ],
    ['used to index a DataFrame', [`COLS = ${BIG}\n`, 'df[COLS]\n']],
    [
      'printed (the repr would change)',
      [`COLS = ${BIG}\n`, 'print(f"{COLS}")\n']
    ],
    ['concatenated with a list', [`COLS = ${BIG}\n`, 'ALL = COLS + ["c"]\n']],
    [
      'compared with a list',
      [`COLS = ${BIG}\n`, 'same = COLS == ["a", "b"]\n']
    ],
    ['not ALL_CAPS', ['colors = ["r", "g"]\n']],
    ['a single-letter name such as X', ['X = [1, 2]\n']],
    ['an ALL_CAPS list with names', ['PAIR = [a, b]\n']],
    ['an ALL_CAPS empty list', ['CACHE = []\n']],
    [
      'a constant defined inside a function',
      ['def f():\n    COLORS = ["r"]\n    return 1\n']
    ],
    ['a literal list of names in a membership test', ['x in [a, b]\n']],
    ['a literal list passed to a function', ['np.array([1, 2, 3])\n']],
    ['a literal list as the left operand', ['[1, 2] in pairs\n']],
    [
      'a literal list as a comprehension element',
      ['[[1, 2] for _ in range(3)]\n']
    ]
  ])('does not flag %s', async (_, sources) => {
    expect(await check(ML401, sources)).toHaveLength(0);
  });
});

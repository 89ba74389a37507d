import { maskCell } from '../source/mask';
import { scanLines } from '../source/scan';
import { parsesCleanly } from '../../__tests__/harness';

describe('scanLines', () => {
  it('knows which lines start a logical line', () => {
    const source =
      'x = (1 +\n  2)\ns = """\n%not magic\n"""\ny = 1 \\\n  % 2\n# c\n';
    expect(scanLines(source).map(line => line.logical)).toEqual([
      true,
      false,
      true,
      false,
      false,
      true,
      false,
      true,
      true
    ]);
  });

  it('finds comments outside strings', () => {
    const [line] = scanLines('s = "#no" # yes');
    expect(line.comment).toBe(10);
  });
});

describe('maskCell', () => {
  const cases: [string, string, string][] = [
    ['line magic', '%matplotlib inline\nx = 1', 'pass              \nx = 1'],
    ['short magic', '%pwd\n%ls', 'pass\n0  '],
    ['%time keeps the statement', '%time x = f()', '0    ;x = f()'],
    ['%timeit options', '%timeit -n 10 -q f(x)', '0               ;f(x)'],
    ['shell escape', '!pip install numpy', 'pass              '],
    ['x = !cmd keeps the binding', 'files = !ls -la', 'files = 0      '],
    ['x = %magic', 'names = %who_ls', 'names = 0      '],
    ['help suffix', 'df.merge?', 'df.merge;'],
    ['double help suffix', 'df??', 'df; '],
    ['help prefix', '??np.load', 'pass     '],
    ['auto-call', '/print a b', 'pass      '],
    [
      'indented magic',
      'for i in x:\n    %time f(i)',
      'for i in x:\n    0    ;f(i)'
    ],
    ['modulo in brackets', 'y = (a\n     % b)', 'y = (a\n     % b)'],
    [
      'magic text in a string',
      's = """\n!ls\n%s\n"""',
      's = """\n!ls\n%s\n"""'
    ],
    ['continued magic', '!echo a \\\n  b\nx = 1', 'pass     \n   \nx = 1'],
    ['%%time body analyzed', '%%time\nx = f()', '      \nx = f()'],
    ['comment with ?', 'x = 1  # why?', 'x = 1  # why?'],
    ['%alias', '%alias ll ls -l', 'pass           ']
  ];
  it.each(cases)('%s', async (_, source, expected) => {
    const { masked, skip } = maskCell(source);
    expect(skip).toBe(false);
    expect(masked).toBe(expected);
    expect(masked).toHaveLength(source.length);
    expect(await parsesCleanly(masked)).toBe(true);
  });

  it.each([
    '%%bash\nls -la',
    '%%sql\nSELECT 1',
    '%%html\n<b>x</b>',
    '\n%%writefile a.py\nx = 1',
    '%%javascript\nalert(1)'
  ])('skips non-Python cell magic %j', source => {
    expect(maskCell(source).skip).toBe(true);
  });

  it('leaves plain Python untouched', () => {
    const source = 'x = a % b\nif x != 1:\n    y = x\n';
    expect(maskCell(source).masked).toBe(source);
  });
});

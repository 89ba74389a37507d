import { analyzeCells } from '../../engine/engine';
import { ML201 } from '../../rules/lifecycle/ML201-dead-variable';
import type { ICellInput } from '../../types';
import { testParser } from '../../__tests__/harness';

/** A notebook: a load, a cell that shows it (with its saved output), work. */
function notebook(show: string, outputs: string): ICellInput[] {
  return [
    { kind: 'code', source: 'import pandas as pd\ndf = pd.read_csv("d.csv")' },
    { kind: 'code', source: show, outputs },
    { kind: 'code', source: 'model = fit(other)' }
  ];
}

async function dead(cells: ICellInput[]): Promise<string[]> {
  const findings = analyzeCells(await testParser(), cells, { rules: [ML201] });
  return findings.map(f => f.message.split('`')[1]);
}

describe('sizes the saved outputs show (rev 3)', () => {
  it.each([
    ['print(df.shape)', 'print(df.shape)', '(256, 2)\n'],
    ['df.shape as the result', 'df.shape', '(59, 3)'],
    [
      'df.info()',
      'df.info()',
      "<class 'pandas.core.frame.DataFrame'>\nRangeIndex: 768 entries\nmemory usage: 54.1 KB\n"
    ],
    [
      'shapes printed in two statements, in order',
      'print(x.shape)\nprint(df.shape)',
      '(1000000, 20)\n(20, 2)\n'
    ],
    ['a tuple of shapes', 'x.shape, df.shape', '((1000000, 20), (418, 11))'],
    [
      'one print of shapes',
      'print(x.shape, df.shape)',
      '(1000000, 20) (418, 11)\n'
    ],
    [
      'a displayed frame footer',
      'df',
      '     a  b\n0    1  2\n..\n[900 rows x 2 columns]'
    ]
  ])(
    'a load the notebook showed small is not large: %s',
    async (_, show, text) => {
      expect(await dead(notebook(show, text))).toEqual([]);
    }
  );

  it.each([
    ['a big shape', 'print(df.shape)', '(1000000, 20)\n'],
    ['a big shallow info()', 'df.info()', 'memory usage: 400.0+ KB\n'],
    [
      'a shape among other output (which is which?)',
      'print(df.shape)\nprint(x.shape)\nprint(x)',
      '(10, 2)\n(20, 2)\n[1 2]\n'
    ],
    ['no outputs', 'print(df.shape)', ''],
    [
      'a tuple of shapes, df big',
      'df.shape, x.shape',
      '((1000000, 20), (418, 11))'
    ]
  ])('stays a large load with %s', async (_, show, text) => {
    expect(await dead(notebook(show, text))).toEqual(['df']);
  });

  it('belongs to the binding the cell saw, not a later one', async () => {
    const cells: ICellInput[] = [
      ...notebook('print(df.shape)', '(3, 2)\n').slice(0, 2),
      { kind: 'code', source: 'df = pd.read_csv("big.csv")\nn = len(df)' },
      { kind: 'code', source: 'model = fit(n)' }
    ];
    expect(await dead(cells)).toEqual(['df']);
  });
});

/**
 * The budget rules (MB…): `memlens lint --execute --max-peak SIZE` and
 * `--max-cell-peak SIZE` report them when a run of the notebook needed more
 * memory than allowed. The command line checks them (src/cli/); this module
 * holds their titles and user documentation, like live-rules.ts for LV.
 */
import type { IRuleInfo } from '../types';

/** Every budget rule, by id. */
export const BUDGET_RULES: readonly IRuleInfo[] = [
  {
    id: 'MB001',
    name: 'peak-over-budget',
    title: 'The notebook needs more memory than its budget',
    severity: 'warning',
    docs: {
      why: 'The most resident memory the kernel held while the notebook ran top to bottom (`--max-peak`) is what the machine that runs it must have. Above it, the kernel is killed by the out-of-memory killer or the machine swaps.',
      whatToDo:
        'Look at the cell named in the finding (it reached the peak) and at the findings of the cells before it: free what is no longer needed (`del`, ML201), read only the columns and rows used (ML404), use smaller dtypes (LV103). Raise the budget only when the machine really has the memory.',
      bad: '# memlens lint --execute --max-peak 2GB analysis.ipynb\nraw = pd.read_csv("events.csv")   # 1.5 GiB\nclean = raw.dropna()              # another 1.4 GiB: peak 3 GiB',
      good: 'raw = pd.read_csv("events.csv", usecols=["user", "amount"])\nclean = raw.dropna()\ndel raw'
    }
  },
  {
    id: 'MB002',
    name: 'cell-peak-over-budget',
    title: 'A cell needs more memory than the per-cell budget',
    severity: 'warning',
    docs: {
      why: 'A cell that needs a lot of memory at once above what the kernel already held (`--max-cell-peak`: its peak minus the memory at its start) is where a notebook breaks on a smaller machine, even when its result is small: temporary copies, a whole file read before it is filtered, an intermediate frame per step.',
      whatToDo:
        'Split the work of that cell into steps that each hold less: process the data in chunks (`chunksize=`), filter while reading, avoid chained copies (`df = df.copy()` in a loop), and free intermediates inside the cell.',
      bad: 'big = np.random.rand(20_000, 20_000)   # 3.0 GiB\ntotal = (big * 2).sum()                # another 3.0 GiB at once',
      good: 'big = np.random.rand(20_000, 20_000)\ntotal = big.sum() * 2                  # no temporary array'
    }
  }
];

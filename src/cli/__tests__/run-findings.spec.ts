import type { IExecution } from '../execute';
import { formatJson, formatSarif, formatText, IFileResult } from '../format';
import { ALL_RULE_INFOS } from '../../analyzer/rules/live-rules';
import { budgetFindings, liveFindings } from '../run-findings';

const MiB = 2 ** 20;

/** A run of three code cells (notebook cells 0, 2, 3); sizes in MiB. */
function execution(
  cells: [cell: number, before: number, peak: number, after: number][]
): IExecution {
  const runs = cells.map(([cell, before, peak, after], i) => ({
    cell,
    execution_count: i + 1,
    duration_ms: 1000 * (i + 1),
    rss_before_bytes: before * MiB,
    peak_bytes: peak * MiB,
    rss_bytes: after * MiB,
    error: null
  }));
  return {
    kernel: 'python3',
    cells: runs,
    peak_bytes: Math.max(...runs.map(c => c.peak_bytes))
  };
}

describe('budget findings', () => {
  const run = execution([
    [0, 60, 70, 70],
    [2, 70, 400, 260], // +330 MiB in the cell, over 300 MiB
    [3, 260, 420, 262] // +160 MiB in the cell, the run's peak
  ]);

  it('MB001 on the first cell over --max-peak, none under it', () => {
    const found = budgetFindings(run, {
      maxPeak: 300 * MiB,
      maxCellPeak: null,
      maxPeakText: '300MiB'
    });
    expect(found).toEqual([
      {
        rule: 'MB001',
        severity: 'warning',
        cell: 2,
        message:
          'the kernel needed 420.0 MiB at its peak, over --max-peak 300MiB (300.0 MiB) (first over it in cell 3)'
      }
    ]);
    expect(
      budgetFindings(run, { maxPeak: 420 * MiB, maxCellPeak: null })
    ).toEqual([]);
  });

  it('MB002 on each cell whose own peak (above its start) is over --max-cell-peak', () => {
    const found = budgetFindings(run, {
      maxPeak: null,
      maxCellPeak: 150 * MiB
    });
    expect(found.map(f => [f.rule, f.cell])).toEqual([
      ['MB002', 2],
      ['MB002', 3]
    ]);
    expect(found[0].message).toBe(
      'this cell needed 330.0 MiB at its peak above the 70.0 MiB the kernel held when it started, over --max-cell-peak 150.0 MiB'
    );
    expect(
      budgetFindings(run, { maxPeak: null, maxCellPeak: 330 * MiB })
    ).toEqual([]);
  });
});

describe('live findings', () => {
  it('go on the cell that bound their variable, else on no cell', () => {
    const found = liveFindings(
      {
        variables: [],
        findings: [
          {
            rule: 'LV101',
            severity: 'warning',
            variable: 'big',
            message: '`big` holds 190.7 MiB',
            size_bytes: 200_000_112
          },
          {
            rule: 'LV106',
            severity: 'warning',
            variable: null,
            message: '12 figures are open',
            size_bytes: null
          }
        ]
      },
      name => (name === 'big' ? 2 : null)
    );
    expect(found.map(f => [f.rule, f.cell])).toEqual([
      ['LV101', 2],
      ['LV106', null]
    ]);
    expect(liveFindings(null, () => 0)).toEqual([]);
  });
});

describe('formats with an execution', () => {
  const run = execution([
    [0, 60, 70, 70],
    [2, 70, 400, 260]
  ]);
  const file: IFileResult = {
    path: 'nb.ipynb',
    error: null,
    skipped: null,
    findings: [],
    runFindings: [
      {
        rule: 'LV101',
        severity: 'warning',
        cell: 2,
        message: '`big` holds 190.7 MiB',
        variable: 'big',
        size_bytes: 200_000_112
      },
      { rule: 'MB001', severity: 'warning', cell: null, message: 'over' }
    ],
    execution: run,
    notices: [],
    cellLines: null,
    locate: () => ({ line: 10, column: 4 })
  };

  it('text: the run findings by cell (1-based) and a summary of the run', () => {
    expect(formatText([file]).split('\n')).toEqual([
      'nb.ipynb:cell 3: LV101 `big` holds 190.7 MiB',
      'nb.ipynb: MB001 over',
      'nb.ipynb: executed 2 cells in 3.0 s (kernel python3), peak 400.0 MiB; cell 3 needed the most (+330.0 MiB)',
      'Found 2 findings (0 fixable).',
      ''
    ]);
  });

  it('JSON: the execution block and findings without a line (CONTRACTS §1)', () => {
    const doc = JSON.parse(formatJson([file]));
    const out = doc.files[0];
    expect(Object.keys(out.execution)).toEqual([
      'kernel',
      'cells',
      'peak_bytes'
    ]);
    expect(out.execution.peak_bytes).toBe(400 * MiB);
    expect(out.execution.cells[1]).toEqual({
      cell: 2,
      execution_count: 2,
      duration_ms: 2000,
      rss_bytes: 260 * MiB,
      peak_bytes: 400 * MiB,
      rss_before_bytes: 70 * MiB,
      error: null
    });
    expect(out.findings[0]).toEqual({
      rule: 'LV101',
      severity: 'warning',
      cell: 2,
      line: null,
      column: null,
      endLine: null,
      endColumn: null,
      message: '`big` holds 190.7 MiB',
      fix: null,
      variable: 'big',
      size_bytes: 200_000_112
    });
    expect(out.findings[1]).toMatchObject({ rule: 'MB001', cell: null });
    // without --execute, no execution key
    const plain = JSON.parse(
      formatJson([{ ...file, execution: null, runFindings: [] }])
    );
    expect('execution' in plain.files[0]).toBe(false);
  });

  it('SARIF: results on the cell start (or the file) and the run in the invocation', () => {
    const sarif = JSON.parse(formatSarif([file], ALL_RULE_INFOS, '0'));
    const [live, budget] = sarif.runs[0].results;
    expect(live.ruleId).toBe('LV101');
    expect(live.message.text).toBe('cell 3: `big` holds 190.7 MiB');
    expect(live.locations[0].physicalLocation.region.startLine).toBe(11);
    expect(budget.ruleId).toBe('MB001');
    expect(budget.locations[0].physicalLocation.region).toBeUndefined();
    const rules = sarif.runs[0].tool.driver.rules;
    expect(rules[budget.ruleIndex].id).toBe('MB001');
    expect(
      sarif.runs[0].invocations[0].properties.memlensExecution['nb.ipynb']
        .peak_bytes
    ).toBe(400 * MiB);
  });
});

/**
 * Findings of an executed lint that come from the run rather than the
 * source: the helper's live findings (LV…) and the memory budgets (MB001
 * `--max-peak`, MB002 `--max-cell-peak`). They have a cell (or none) but
 * no line.
 */
import { formatBytes } from '../common/bytes';
import type { Severity } from '../analyzer/types';
import type { IExecution, IRunSnapshot } from './execute';

/** A finding without a source range. */
export interface IRunFinding {
  rule: string;
  severity: Severity;
  /** 0-based notebook index of the cell it is about, or null (the notebook). */
  cell: number | null;
  message: string;
  /** Live findings: the variable and its size as the helper measured them. */
  variable?: string | null;
  size_bytes?: number | null;
}

/** The budgets given on the command line, in bytes (null: none). */
export interface IBudgets {
  maxPeak: number | null;
  maxCellPeak: number | null;
  /** The sizes as the user wrote them (`300MB`), for messages. */
  maxPeakText?: string;
  maxCellPeakText?: string;
}

/** `--max-peak 300MB (286.1 MiB)`. */
function budgetText(flag: string, bytes: number, text?: string): string {
  return text
    ? `${flag} ${text} (${formatBytes(bytes)})`
    : `${flag} ${formatBytes(bytes)}`;
}

/**
 * The snapshot's live findings, each on the cell that last bound its
 * variable (`bindingCell`, from the static dataflow), else on no cell.
 */
export function liveFindings(
  snapshot: IRunSnapshot | null,
  bindingCell: (name: string) => number | null
): IRunFinding[] {
  return (snapshot?.findings ?? []).map(finding => ({
    rule: finding.rule,
    severity: finding.severity,
    cell: finding.variable === null ? null : bindingCell(finding.variable),
    message: finding.message,
    variable: finding.variable,
    size_bytes: finding.size_bytes
  }));
}

/**
 * MB001 when the run's peak is over `maxPeak` (on the first cell that went
 * over it); MB002 on each cell whose own peak — its peak above the memory the
 * kernel held when it started — is over `maxCellPeak`.
 */
export function budgetFindings(
  execution: IExecution,
  budgets: IBudgets
): IRunFinding[] {
  const found: IRunFinding[] = [];
  const { maxPeak } = budgets;
  if (
    maxPeak !== null &&
    execution.peak_bytes !== null &&
    execution.peak_bytes > maxPeak
  ) {
    // where the kernel first went over: the cell to look at
    const first = execution.cells.find(
      c => c.peak_bytes !== null && c.peak_bytes > maxPeak
    );
    found.push({
      rule: 'MB001',
      severity: 'warning',
      cell: first?.cell ?? null,
      message: `the kernel needed ${formatBytes(execution.peak_bytes)} at its peak, over ${budgetText('--max-peak', maxPeak, budgets.maxPeakText)}${first ? ` (first over it in cell ${first.cell + 1})` : ''}`
    });
  }
  if (budgets.maxCellPeak !== null) {
    for (const run of execution.cells) {
      const own = ownPeak(run);
      if (own !== null && own > budgets.maxCellPeak) {
        found.push({
          rule: 'MB002',
          severity: 'warning',
          cell: run.cell,
          message: `this cell needed ${formatBytes(own)} at its peak above the ${formatBytes(run.rss_before_bytes ?? 0)} the kernel held when it started, over ${budgetText('--max-cell-peak', budgets.maxCellPeak, budgets.maxCellPeakText)}`
        });
      }
    }
  }
  return found;
}

/** A cell's peak above the memory at its start (its peak when that is unknown). */
export function ownPeak(run: {
  peak_bytes: number | null;
  rss_before_bytes: number | null;
}): number | null {
  if (run.peak_bytes === null) {
    return null;
  }
  return run.peak_bytes - (run.rss_before_bytes ?? 0);
}

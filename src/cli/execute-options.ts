/**
 * The options of `memlens lint --execute` (checked as they are parsed) and
 * the progress line it prints per cell on a terminal.
 */
import { formatBytes, formatDelta, parseBytes } from '../common/bytes';
import type { ICellRun } from './execute';
import { ownPeak } from './run-findings';

/** Options of `lint --execute`. */
export interface IExecuteArgs {
  /** `--kernel NAME`, else the notebook's kernelspec, else python3. */
  kernel: string | null;
  /** Per-cell limit in seconds (default 600). */
  timeoutSeconds: number;
  /** Budgets in bytes, or null. */
  maxPeak: number | null;
  maxCellPeak: number | null;
  maxPeakText?: string;
  maxCellPeakText?: string;
  /** The Python that runs the notebook (`--python`, MEMLENS_PYTHON, python3). */
  python: string;
}

/** The options that take a value and need `--execute`. */
export const EXECUTE_OPTIONS = [
  '--kernel',
  '--timeout',
  '--max-peak',
  '--max-cell-peak',
  '--python'
];

/** Set one `--execute` option; a string is a usage error. */
export function setExecuteOption(
  run: IExecuteArgs,
  flag: string,
  value: string
): string | null {
  switch (flag) {
    case '--kernel':
      run.kernel = value;
      return null;
    case '--python':
      run.python = value;
      return null;
    case '--timeout': {
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds <= 0) {
        return `--timeout needs a positive number of seconds, not ${value}`;
      }
      run.timeoutSeconds = seconds;
      return null;
    }
    default: {
      const bytes = parseBytes(value);
      if (bytes === null) {
        return `${flag} needs a size such as 2GB, 512MiB or 1000000 (bytes), not ${value}`;
      }
      if (flag === '--max-peak') {
        run.maxPeak = bytes;
        run.maxPeakText = value.trim();
      } else {
        run.maxCellPeak = bytes;
        run.maxCellPeakText = value.trim();
      }
      return null;
    }
  }
}

/** `nb.ipynb: cell 3 ran in 1.2 s, memory 250.0 MiB, peak 430.0 MiB (+180.0 MiB in the cell)`. */
export function progressLine(
  path: string,
  run: ICellRun,
  cellLines: number[] | null
): string {
  const where = cellLines
    ? `line ${(cellLines[run.cell] ?? 0) + 1}`
    : `cell ${run.cell + 1}`;
  const own = ownPeak(run);
  return (
    `${path}: ${where} ran in ${(run.duration_ms / 1000).toFixed(1)} s, ` +
    `memory ${formatBytes(run.rss_bytes)}, peak ${formatBytes(run.peak_bytes)}` +
    (own === null ? '' : ` (${formatDelta(own)} in the cell)`) +
    (run.error ? `: ${run.error}` : '') +
    '\n'
  );
}

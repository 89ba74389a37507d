/**
 * `memlens lint --execute`: run a notebook's code cells in a fresh kernel
 * through the Python runner of the kernel helper (`python -m
 * memlens_kernel.execute`, nbclient/jupyter_client) and collect what it
 * reports: per-cell time and memory, the helper's snapshot after the last
 * cell, or why the run stopped. The notebook file is never touched: the
 * runner gets the cells' text on stdin.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import * as readline from 'readline';
import type { ISnapshotFacts } from '../analyzer/engine/live-facts';
import type { ICellInput } from '../analyzer/types';

/** One executed cell (the JSON `execution.cells[]` entry). */
export interface ICellRun {
  /** 0-based index among all cells of the notebook. */
  cell: number;
  execution_count: number | null;
  duration_ms: number;
  /** Resident memory of the kernel after the cell. */
  rss_bytes: number | null;
  /** Resident memory when the cell started. */
  rss_before_bytes: number | null;
  /** The most resident memory the kernel held while the cell ran. */
  peak_bytes: number | null;
  /** `ExceptionName: message` when the cell raised, timed out or the kernel died. */
  error: string | null;
}

/** What ran (the JSON `execution` of a file). */
export interface IExecution {
  kernel: string;
  cells: ICellRun[];
  /** The most resident memory over the whole run, or null when unknown. */
  peak_bytes: number | null;
}

/** A live finding of the helper's snapshot (CONTRACTS §2), as read here. */
export interface ILiveFindingFacts {
  rule: string;
  severity: 'warning' | 'info' | 'hint';
  variable: string | null;
  message: string;
  size_bytes: number | null;
  /** Rule-specific facts (LV103's column dtypes sharpen ML404). */
  details?: unknown;
}

/** The snapshot taken after the last cell, as far as the CLI reads it. */
export interface IRunSnapshot extends ISnapshotFacts {
  findings: ILiveFindingFacts[];
}

/** The outcome of running one file. */
export interface IRunResult {
  execution: IExecution;
  /** After the last cell when every cell ran, else null. */
  snapshot: IRunSnapshot | null;
  /** Why the run stopped (which cell raised, a dead kernel...), or null. */
  error: string | null;
}

/** How to run. */
export interface IRunOptions {
  /** The Python that has Jupyter and the helper (`--python`, MEMLENS_PYTHON, python3). */
  python: string;
  kernel: string;
  /** Per-cell limit in seconds. */
  timeoutSeconds: number;
  /** LV101's "large" threshold in bytes. */
  thresholdBytes: number;
  /** Called as each cell finishes (progress). */
  onCell?: (run: ICellRun) => void;
}

/** The Python the runner uses when neither `--python` nor MEMLENS_PYTHON says. */
export function defaultPython(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.MEMLENS_PYTHON?.trim();
  if (chosen) {
    return chosen;
  }
  return process.platform === 'win32' ? 'python' : 'python3';
}

/**
 * Run the code cells of the file at `file` (cells as loaded, `tags` by cell
 * index); never throws.
 */
export function executeCells(
  file: string,
  cells: readonly ICellInput[],
  tags: readonly (readonly string[])[],
  options: IRunOptions
): Promise<IRunResult> {
  const execution: IExecution = {
    kernel: options.kernel,
    cells: [],
    peak_bytes: null
  };
  const result: IRunResult = { execution, snapshot: null, error: null };
  const job = {
    kernel: options.kernel,
    cwd: path.dirname(path.resolve(file)),
    timeout: options.timeoutSeconds,
    threshold_bytes: options.thresholdBytes,
    cells: cells.flatMap((cell, index) =>
      cell.kind === 'code'
        ? [{ index, source: cell.source, tags: tags[index] ?? [] }]
        : []
    )
  };
  return new Promise(resolve => {
    let done = false;
    let stderr = '';
    const child = spawn(options.python, ['-m', 'memlens_kernel.execute'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: process.env
    });
    const finish = (error: string | null) => {
      if (!done) {
        done = true;
        result.error ??= error;
        execution.peak_bytes = maxPeak(execution.cells);
        resolve(result);
      }
    };
    child.on('error', error =>
      finish(
        `cannot start ${options.python} to run the notebook (${String(error)}); set --python or MEMLENS_PYTHON to the Python that has Jupyter`
      )
    );
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    let ended = false;
    readline.createInterface({ input: child.stdout }).on('line', line => {
      const event = parseEvent(line);
      if (event?.event === 'cell') {
        const run = cellRun(event);
        if (run) {
          execution.cells.push(run);
          options.onCell?.(run);
        }
      } else if (event?.event === 'snapshot') {
        result.snapshot = runSnapshot(event.snapshot);
      } else if (event?.event === 'done') {
        ended = true;
        result.error = typeof event.error === 'string' ? event.error : null;
      }
    });
    child.on('close', code => {
      if (ended) {
        finish(null);
      } else if (/No module named '?memlens_kernel/.test(stderr)) {
        finish(
          `the memlens kernel helper is not installed for ${options.python}: pip install 'memlens-kernel[execute]', or set --python / MEMLENS_PYTHON to the Python that has it`
        );
      } else {
        const last = stderr.trim().split('\n').slice(-3).join(' | ');
        finish(
          `the notebook runner (${options.python} -m memlens_kernel.execute) stopped with exit status ${code}${last ? `: ${last}` : ''}`
        );
      }
    });
    child.stdin.on('error', () => undefined); // a runner that failed to start
    child.stdin.end(JSON.stringify(job));
  });
}

type Event = Record<string, unknown>;

function parseEvent(line: string): Event | null {
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** A checked cell event (the runner's JSON), or null. */
function cellRun(event: Event): ICellRun | null {
  if (typeof event.cell !== 'number' || typeof event.duration_ms !== 'number') {
    return null;
  }
  return {
    cell: event.cell,
    execution_count: numberOrNull(event.execution_count),
    duration_ms: event.duration_ms,
    rss_bytes: numberOrNull(event.rss_bytes),
    rss_before_bytes: numberOrNull(event.rss_before_bytes),
    peak_bytes: numberOrNull(event.peak_bytes),
    error: typeof event.error === 'string' ? event.error : null
  };
}

const SEVERITIES = new Set(['warning', 'info', 'hint']);

/** The parts of the helper's snapshot the CLI uses, checked; null when malformed. */
function runSnapshot(value: unknown): IRunSnapshot | null {
  if (!isObject(value) || !Array.isArray(value.variables)) {
    return null;
  }
  const variables = value.variables.flatMap(v =>
    isObject(v) && typeof v.name === 'string'
      ? [{ name: v.name, size_bytes: numberOrNull(v.size_bytes) }]
      : []
  );
  const findings = (Array.isArray(value.findings) ? value.findings : [])
    .filter(isObject)
    .flatMap(f =>
      typeof f.rule === 'string' &&
      /^LV\d{3}$/.test(f.rule) &&
      typeof f.message === 'string' &&
      SEVERITIES.has(f.severity as string)
        ? [
            {
              rule: f.rule,
              severity: f.severity as ILiveFindingFacts['severity'],
              variable: typeof f.variable === 'string' ? f.variable : null,
              message: f.message,
              size_bytes: numberOrNull(f.size_bytes),
              details: f.details
            }
          ]
        : []
    );
  return { variables, findings };
}

function maxPeak(cells: readonly ICellRun[]): number | null {
  const peaks = cells.flatMap(c =>
    c.peak_bytes === null ? [] : [c.peak_bytes]
  );
  return peaks.length > 0 ? Math.max(...peaks) : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Output formats of `memlens lint`: text, JSON (README.md, "In CI and pre-commit"), SARIF. */
import { formatBytes, formatDelta } from '../common/bytes';
import type { IFinding, IRuleInfo, Severity } from '../analyzer/types';
import type { IExecution } from './execute';
import type { IFilePosition } from './ipynb-lines';
import { IRunFinding, ownPeak } from './run-findings';

/** A cell-level notice (syntax error, cell skipped): never a finding. */
export interface INotice {
  /** 0-based cell index among all cells. */
  cell: number;
  /** 0-based line and column inside the cell. */
  line: number;
  column: number;
  message: string;
}

/** The analysis result of one file. */
export interface IFileResult {
  path: string;
  error: string | null;
  /** Why the file was deliberately not analyzed (not Python), or null. */
  skipped: string | null;
  findings: IFinding[];
  /** `--execute`: live (LV) and budget (MB) findings, without a line. */
  runFindings: IRunFinding[];
  /** `--execute`: what ran, or null (not executed). */
  execution: IExecution | null;
  notices: INotice[];
  /** 0-based file line where each cell starts (`.py` files), else null. */
  cellLines: number[] | null;
  /** Notebooks: maps a cell position to its position in the `.ipynb` text. */
  locate:
    | ((cell: number, line: number, column: number) => IFilePosition | null)
    | null;
}

/**
 * Where a finding or notice is, for humans (1-based): `cell 4:2:5` in a
 * notebook, `2:5` (a line of the file) in a `.py` script.
 */
export function humanPosition(
  file: IFileResult,
  at: { cell: number; line: number; column: number }
): string {
  if (file.cellLines) {
    const line = (file.cellLines[at.cell] ?? 0) + at.line;
    return `${line + 1}:${at.column + 1}`;
  }
  return `cell ${at.cell + 1}:${at.line + 1}:${at.column + 1}`;
}

/**
 * `nb.ipynb:cell 4:2:5: ML601 message` (`script.py:2:5: ...` for scripts),
 * 1-based, one per line; notices and skipped files in the same style; a
 * summary line at the end, as ruff prints it.
 */
export function formatText(results: readonly IFileResult[]): string {
  const lines: string[] = [];
  let findings = 0;
  let fixable = 0;
  for (const file of results) {
    if (file.skipped !== null) {
      lines.push(`${file.path}: skipped: ${file.skipped}`);
    }
    const entries = [
      ...file.findings.map(f => ({
        at: f,
        text: `${f.rule} ${f.message}`
      })),
      ...file.notices.map(n => ({ at: n, text: n.message }))
    ].sort(
      (a, b) =>
        a.at.cell - b.at.cell ||
        a.at.line - b.at.line ||
        a.at.column - b.at.column
    );
    for (const entry of entries) {
      lines.push(
        `${file.path}:${humanPosition(file, entry.at)}: ${entry.text}`
      );
    }
    for (const f of file.runFindings) {
      const where = f.cell === null ? '' : `${cellName(file, f.cell)}:`;
      lines.push(`${file.path}:${where} ${f.rule} ${f.message}`);
    }
    // a file that could not run says why on stderr, not "executed 0 cells"
    if (
      file.execution &&
      (file.error === null || file.execution.cells.length)
    ) {
      lines.push(`${file.path}: ${executionSummary(file, file.execution)}`);
    }
    findings += file.findings.length + file.runFindings.length;
    fixable += file.findings.filter(f => f.fix !== null).length;
  }
  lines.push(
    findings === 0
      ? 'All checks passed.'
      : `Found ${findings} ${findings === 1 ? 'finding' : 'findings'} (${fixable} fixable).`
  );
  return lines.map(line => line + '\n').join('');
}

/**
 * A cell as a position after `path:` — `cell 4` in a notebook, `12` (the
 * line where the cell starts) in a script — or, with `prose`, as words
 * (`cell 4`, `line 12`).
 */
function cellName(file: IFileResult, cell: number, prose = false): string {
  if (file.cellLines) {
    const line = (file.cellLines[cell] ?? 0) + 1;
    return prose ? `line ${line}` : `${line}`;
  }
  return `cell ${cell + 1}`;
}

/**
 * One line on what ran: cells, time, kernel, the run's peak and the cell
 * that needed the most on its own (its peak above its start).
 */
function executionSummary(file: IFileResult, run: IExecution): string {
  const seconds = run.cells.reduce((sum, c) => sum + c.duration_ms, 0) / 1000;
  let largest: { cell: number; bytes: number } | null = null;
  for (const c of run.cells) {
    const own = ownPeak(c);
    if (own !== null && (largest === null || own > largest.bytes)) {
      largest = { cell: c.cell, bytes: own };
    }
  }
  const count = run.cells.length;
  return (
    `executed ${count} ${count === 1 ? 'cell' : 'cells'} in ${seconds.toFixed(1)} s (kernel ${run.kernel})` +
    (run.peak_bytes !== null ? `, peak ${formatBytes(run.peak_bytes)}` : '') +
    (largest
      ? `; ${cellName(file, largest.cell, true)} needed the most (${formatDelta(largest.bytes)})`
      : '')
  );
}

/** A run finding as a JSON finding: no range, no fix. */
function runFindingJson(f: IRunFinding): Record<string, unknown> {
  return {
    rule: f.rule,
    severity: f.severity,
    cell: f.cell,
    line: null,
    column: null,
    endLine: null,
    endColumn: null,
    message: f.message,
    fix: null,
    // live findings also say what they measured
    ...(f.variable !== undefined
      ? { variable: f.variable, size_bytes: f.size_bytes ?? null }
      : {})
  };
}

/**
 * The JSON document of `memlens lint --format json` (README.md, "In CI and pre-commit"): per file
 * `path`, `error`, `findings`, plus `skipped` and `notices`; with
 * `--execute`, `execution` and the run's findings (CONTRACTS §1, rev 3).
 */
export function formatJson(results: readonly IFileResult[]): string {
  return (
    JSON.stringify({
      version: 1,
      files: results.map(file => ({
        path: file.path,
        error: file.error,
        skipped: file.skipped,
        notices: file.notices.map(n => ({
          cell: n.cell,
          line: n.line,
          column: n.column,
          message: n.message
        })),
        findings: [
          ...file.findings.map(findingJson),
          ...file.runFindings.map(runFindingJson)
        ],
        ...(file.execution ? { execution: executionJson(file.execution) } : {})
      }))
    }) + '\n'
  );
}

function findingJson(f: IFinding): Record<string, unknown> {
  return {
    rule: f.rule,
    severity: f.severity,
    cell: f.cell,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    fix: f.fix
      ? {
          description: f.fix.description,
          edits: f.fix.edits.map(e => ({
            cell: e.cell,
            line: e.line,
            column: e.column,
            endLine: e.endLine,
            endColumn: e.endColumn,
            text: e.text
          }))
        }
      : null
  };
}

/** `execution` of a file: kernel, per-cell facts, the run's peak. */
function executionJson(run: IExecution): Record<string, unknown> {
  return {
    kernel: run.kernel,
    cells: run.cells.map(c => ({
      cell: c.cell,
      execution_count: c.execution_count,
      duration_ms: c.duration_ms,
      rss_bytes: c.rss_bytes,
      peak_bytes: c.peak_bytes,
      rss_before_bytes: c.rss_before_bytes,
      error: c.error
    })),
    peak_bytes: run.peak_bytes
  };
}

const LEVELS: Record<Severity, string> = {
  warning: 'warning',
  info: 'note',
  hint: 'note'
};

/**
 * SARIF 2.1.0 for code scanning. Regions are 1-based lines and UTF-16
 * columns of the file itself: for `.py` files its lines, for notebooks the
 * line of the `.ipynb` JSON text that holds the flagged source line (the
 * message names the cell). Notices and file errors are tool notifications.
 */
export function formatSarif(
  results: readonly IFileResult[],
  rules: readonly IRuleInfo[],
  version: string
): string {
  const used = new Set(
    results.flatMap(file => [
      ...file.findings.map(f => f.rule),
      ...file.runFindings.map(f => f.rule)
    ])
  );
  const driverRules = rules.filter(rule => used.has(rule.id));
  const index = new Map(driverRules.map((rule, i) => [rule.id, i]));
  const notifications = results.flatMap(file => [
    ...(file.error !== null
      ? [notification('error', `${file.path}: ${file.error}`, file)]
      : []),
    ...(file.skipped !== null
      ? [notification('note', `${file.path}: skipped: ${file.skipped}`, file)]
      : []),
    ...file.notices.map(n =>
      notification(
        'warning',
        `${file.path}:${humanPosition(file, n)}: ${n.message}`,
        file,
        region(file, n, n)
      )
    )
  ]);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'memlens',
            version,
            informationUri: 'https://github.com/memlens/jupyterlab-memlens',
            rules: driverRules.map(rule => ({
              id: rule.id,
              name: rule.name,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.docs.why },
              help: {
                text: `${rule.docs.whatToDo}\n\nBad:\n${rule.docs.bad}\n\nGood:\n${rule.docs.good}`
              },
              defaultConfiguration: { level: LEVELS[rule.severity] }
            }))
          }
        },
        invocations: [
          {
            executionSuccessful: results.every(file => file.error === null),
            toolExecutionNotifications: notifications,
            ...(results.some(file => file.execution)
              ? {
                  // `--execute`: what each notebook's run measured, by path
                  properties: {
                    memlensExecution: Object.fromEntries(
                      results.flatMap(file =>
                        file.execution
                          ? [[file.path, executionJson(file.execution)]]
                          : []
                      )
                    )
                  }
                }
              : {})
          }
        ],
        results: results.flatMap(file => sarifResults(file, index))
      }
    ]
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** A file's findings as SARIF results: ranged ones, then the run's. */
function sarifResults(
  file: IFileResult,
  index: ReadonlyMap<string, number>
): Record<string, unknown>[] {
  const ranged = file.findings.map(f => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule),
    level: LEVELS[f.severity],
    message: {
      text: file.cellLines
        ? f.message
        : `cell ${f.cell + 1}, line ${f.line + 1}: ${f.message}`
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uri(file.path) },
          region: region(file, f, {
            cell: f.cell,
            line: f.endLine,
            column: f.endColumn
          })
        }
      }
    ],
    properties: { cell: f.cell, cellLine: f.line, cellColumn: f.column }
  }));
  // live and budget findings: the first line of their cell, or the file
  const run = file.runFindings.map(f => {
    const start = f.cell === null ? null : { cell: f.cell, line: 0, column: 0 };
    return {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule),
      level: LEVELS[f.severity],
      message: {
        text:
          f.cell === null || file.cellLines
            ? f.message
            : `cell ${f.cell + 1}: ${f.message}`
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uri(file.path) },
            ...(start ? { region: region(file, start, start) } : {})
          }
        }
      ],
      properties: { cell: f.cell }
    };
  });
  return [...ranged, ...run];
}

type CellPosition = { cell: number; line: number; column: number };

/** A SARIF region (1-based) in the file's own lines. */
function region(
  file: IFileResult,
  start: CellPosition,
  end: CellPosition
): Record<string, number> {
  const place = (at: CellPosition) => {
    if (file.cellLines) {
      return {
        line: (file.cellLines[at.cell] ?? 0) + at.line,
        column: at.column
      };
    }
    return file.locate?.(at.cell, at.line, at.column) ?? null;
  };
  const from = place(start);
  const to = place(end);
  if (!from) {
    return { startLine: 1 };
  }
  // A finding spanning several source lines of a notebook ends on another
  // JSON line; an end before the start (several lines in one JSON string)
  // collapses to the start.
  const ordered =
    to &&
    (to.line > from.line ||
      (to.line === from.line && to.column >= from.column));
  return {
    startLine: from.line + 1,
    startColumn: from.column + 1,
    endLine: (ordered ? to : from).line + 1,
    endColumn: (ordered ? to : from).column + 1
  };
}

function notification(
  level: string,
  text: string,
  file: IFileResult,
  at?: Record<string, number>
): Record<string, unknown> {
  return {
    level,
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uri(file.path) },
          ...(at ? { region: at } : {})
        }
      }
    ]
  };
}

function uri(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** A rule's documentation as `memlens rule ML101` prints it. */
export function formatRuleDocs(rule: IRuleInfo): string {
  const indent = (text: string) =>
    text
      .split('\n')
      .map(line => `    ${line}`)
      .join('\n');
  return [
    `${rule.id} ${rule.name} (${rule.severity})`,
    rule.title,
    ...(rule.id.startsWith('LV')
      ? [
          '',
          'A live rule: the kernel helper reports it from facts of a running kernel,',
          'in JupyterLab (memlens panel) and with `memlens lint --execute`.'
        ]
      : []),
    ...(rule.id.startsWith('MB')
      ? [
          '',
          'A budget rule: `memlens lint --execute` reports it when given',
          '--max-peak (MB001) or --max-cell-peak (MB002).'
        ]
      : []),
    '',
    'Why it costs memory:',
    `  ${rule.docs.why}`,
    '',
    'What to do:',
    `  ${rule.docs.whatToDo}`,
    '',
    'Bad:',
    indent(rule.docs.bad),
    '',
    'Good:',
    indent(rule.docs.good),
    ''
  ].join('\n');
}

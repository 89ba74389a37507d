/** Output formats of `memlens lint`: text, JSON (README.md, "In CI and pre-commit"), SARIF. */
import type { IFinding, IRuleInfo, Severity } from '../analyzer/types';
import type { IFilePosition } from './ipynb-lines';

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
    findings += file.findings.length;
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
 * The JSON document of `memlens lint --format json` (README.md, "In CI and pre-commit"): per file
 * `path`, `error`, `findings`, plus `skipped` and `notices`.
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
        findings: file.findings.map(f => ({
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
        }))
      }))
    }) + '\n'
  );
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
  const used = new Set(results.flatMap(file => file.findings.map(f => f.rule)));
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
            toolExecutionNotifications: notifications
          }
        ],
        results: results.flatMap(file =>
          file.findings.map(f => ({
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
            properties: {
              cell: f.cell,
              cellLine: f.line,
              cellColumn: f.column
            }
          }))
        )
      }
    ]
  };
  return JSON.stringify(sarif, null, 2) + '\n';
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
          'A live rule: the kernel helper reports it in JupyterLab (memlens panel)',
          'from facts of the running kernel; `memlens lint` cannot check it.'
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

/** Output formats of `memlens lint`: text, JSON (CONTRACTS.md §1), SARIF. */
import type { IFinding, IRule, Severity } from '../analysis/types';

/** The analysis result of one file. */
export interface IFileResult {
  path: string;
  error: string | null;
  findings: IFinding[];
  /** 0-based file line where each cell starts (`.py` files), else null. */
  cellLines: number[] | null;
}

/** `path:cell N:line:col: ML101 message`, 1-based, one per line. */
export function formatText(results: readonly IFileResult[]): string {
  const lines: string[] = [];
  for (const file of results) {
    for (const f of file.findings) {
      lines.push(
        `${file.path}:cell ${f.cell + 1}:${f.line + 1}:${f.column + 1}: ${f.rule} ${f.message}`
      );
    }
  }
  return lines.map(line => line + '\n').join('');
}

/** The JSON document of CONTRACTS.md §1, exactly. */
export function formatJson(results: readonly IFileResult[]): string {
  return (
    JSON.stringify({
      version: 1,
      files: results.map(file => ({
        path: file.path,
        error: file.error,
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
 * SARIF 2.1.0. Regions are 1-based; for `.py` files they are file lines,
 * for notebooks lines inside the cell (the cell index is in `properties`).
 */
export function formatSarif(
  results: readonly IFileResult[],
  rules: readonly IRule[],
  version: string
): string {
  const used = new Set(results.flatMap(file => file.findings.map(f => f.rule)));
  const driverRules = rules.filter(rule => used.has(rule.id));
  const index = new Map(driverRules.map((rule, i) => [rule.id, i]));
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
            toolExecutionNotifications: results
              .filter(file => file.error !== null)
              .map(file => ({
                level: 'error',
                message: { text: `${file.path}: ${file.error}` },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: uri(file.path) }
                    }
                  }
                ]
              }))
          }
        ],
        results: results.flatMap(file =>
          file.findings.map(f => {
            const offset = file.cellLines?.[f.cell] ?? 0;
            return {
              ruleId: f.rule,
              ruleIndex: index.get(f.rule),
              level: LEVELS[f.severity],
              message: { text: f.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: uri(file.path) },
                    region: {
                      startLine: f.line + offset + 1,
                      startColumn: f.column + 1,
                      endLine: f.endLine + offset + 1,
                      endColumn: f.endColumn + 1
                    }
                  }
                }
              ],
              properties: { cell: f.cell }
            };
          })
        )
      }
    ]
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function uri(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** A rule's documentation as `memlens rule ML101` prints it. */
export function formatRuleDocs(rule: IRule): string {
  const indent = (text: string) =>
    text
      .split('\n')
      .map(line => `    ${line}`)
      .join('\n');
  return [
    `${rule.id} ${rule.name} (${rule.severity})`,
    rule.title,
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

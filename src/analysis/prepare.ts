/**
 * Per-cell work of the engine, cached between runs: mask IPython syntax,
 * parse, find error regions and suppression comments, run the cell rules,
 * compute the cell's dataflow.
 */
import type { Parser } from 'web-tree-sitter';
import { cellDataflow } from './dataflow';
import { errorRanges, overlaps } from './source/errors';
import { maskCell } from './source/mask';
import {
  findSuppressions,
  isSuppressed,
  Suppressions
} from './source/suppress';
import type {
  ICellDataflow,
  ICellRule,
  IFinding,
  IParsedCell,
  IRange,
  IReport,
  IRule
} from './types';

/** Everything the engine keeps about one code cell. */
export interface ICellEntry {
  source: string;
  /** Null when the cell is not Python (`%%bash`...) or failed to parse. */
  parsed: IParsedCell | null;
  errors: IRange[];
  suppressions: Suppressions;
  /** Cell-rule findings, already filtered by errors and suppressions. */
  findings: IFinding[];
  dataflow: ICellDataflow | null;
  /** Rules that threw on this cell (kept for diagnostics, never thrown). */
  failures: string[];
}

/** Parse and check one code cell. */
export function prepareCell(
  parser: Parser,
  index: number,
  source: string,
  rules: readonly ICellRule[]
): ICellEntry {
  const entry: ICellEntry = {
    source,
    parsed: null,
    errors: [],
    suppressions: new Map(),
    findings: [],
    dataflow: null,
    failures: []
  };
  const { masked, skip } = maskCell(source);
  if (skip) {
    return entry;
  }
  let tree = null;
  try {
    tree = parser.parse(masked);
  } catch {
    tree = null;
  }
  if (!tree) {
    entry.failures.push('parse');
    return entry;
  }
  const cell: IParsedCell = {
    index,
    source,
    masked,
    tree,
    root: tree.rootNode
  };
  entry.parsed = cell;
  entry.errors = errorRanges(cell.root);
  entry.suppressions = findSuppressions(cell.root);
  for (const rule of rules) {
    try {
      rule.check({
        cell,
        report: report => {
          const finding = makeFinding(rule, cell.index, report);
          if (keep(entry, finding)) {
            entry.findings.push(finding);
          }
        }
      });
    } catch {
      entry.failures.push(rule.id);
    }
  }
  try {
    entry.dataflow = cellDataflow(cell);
  } catch {
    entry.failures.push('dataflow');
  }
  return entry;
}

/** A finding from a rule's report, defaults filled in. */
export function makeFinding(
  rule: IRule,
  cell: number,
  report: IReport
): IFinding {
  return {
    ...report,
    rule: rule.id,
    cell,
    severity: report.severity ?? rule.severity,
    rationale: report.rationale ?? rule.docs.why,
    fix: report.fix ?? null
  };
}

/** False when the finding touches a syntax error or is suppressed. */
export function keep(entry: ICellEntry, finding: IFinding): boolean {
  return (
    !entry.errors.some(error => overlaps(error, finding)) &&
    !isSuppressed(entry.suppressions, finding.rule, finding)
  );
}

/** Move an entry's findings and parsed cell to a new notebook index. */
export function moveEntry(entry: ICellEntry, from: number, to: number): void {
  if (from === to) {
    return;
  }
  if (entry.parsed) {
    entry.parsed.index = to;
  }
  if (entry.dataflow) {
    entry.dataflow = { ...entry.dataflow, cell: to };
  }
  entry.findings = entry.findings.map(finding => ({
    ...finding,
    cell: to,
    fix: finding.fix && {
      ...finding.fix,
      edits: finding.fix.edits.map(edit =>
        edit.cell === from ? { ...edit, cell: to } : edit
      )
    }
  }));
}

/** Free the entry's tree. */
export function disposeEntry(entry: ICellEntry): void {
  entry.parsed?.tree.delete();
  entry.parsed = null;
}

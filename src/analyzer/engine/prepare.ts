/**
 * Per-cell work of the engine, cached between runs: mask IPython syntax,
 * parse, find error regions and suppression comments, run the cell rules,
 * compute the cell's dataflow.
 */
import type { Parser, Tree } from 'web-tree-sitter';
import { cellDataflow } from '../semantic/dataflow';
import { errorRanges, overlaps } from '../syntax/source/errors';
import { maskCell } from '../syntax/source/mask';
import type { SyntaxNode } from '../syntax/syntax';
import { syntaxTree } from '../syntax/syntax-tree';
import { textEdit } from '../syntax/source/text-edit';
import {
  findSuppressions,
  isSuppressed,
  Suppressions
} from '../syntax/source/suppress';
import type {
  ICellDataflow,
  ICellRule,
  IFinding,
  IParsedCell,
  IRange,
  IReport,
  IRule
} from '../types';

/**
 * Pathological cells are not analyzed (listed in `stats.failures` as
 * `too-large`): real notebook cells are far below these limits, and rules
 * over a 100k-line or 10k-deep cell would freeze the editor for seconds.
 */
export const LIMITS = {
  maxChars: 1_000_000,
  maxLines: 20_000,
  maxDepth: 1_000
};

/** Parse `masked`, incrementally from `previous` when there is one. */
function parseFrom(
  parser: Parser,
  masked: string,
  previous: IParsedCell | null
): Tree | null {
  const edit = previous?.tree ? textEdit(previous.masked, masked) : null;
  if (!previous?.tree || !edit) {
    return parser.parse(masked);
  }
  // the previous tree stays intact: its entry may still be disposed later
  const old = previous.tree.copy();
  try {
    old.edit(edit);
    return parser.parse(masked, old);
  } finally {
    old.delete();
  }
}

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
  /** Milliseconds spent parsing (with masking) and per cell rule. */
  timings: Map<string, number>;
}

/**
 * Parse and check one code cell. With the cell's `previous` parse (the same
 * cell before an edit), tree-sitter re-parses incrementally from that tree:
 * only the edited region and what depends on it is parsed again.
 */
export function prepareCell(
  parser: Parser,
  index: number,
  source: string,
  rules: readonly ICellRule[],
  previous: IParsedCell | null = null
): ICellEntry {
  const entry: ICellEntry = {
    source,
    parsed: null,
    errors: [],
    suppressions: new Map(),
    findings: [],
    dataflow: null,
    failures: [],
    timings: new Map()
  };
  let start = now();
  if (source.length > LIMITS.maxChars || lineCount(source) > LIMITS.maxLines) {
    entry.failures.push('too-large');
    return entry;
  }
  const { masked, skip, maxDepth } = maskCell(source);
  if (skip) {
    return entry;
  }
  if (maxDepth > LIMITS.maxDepth) {
    entry.failures.push('too-large');
    return entry;
  }
  let tree: Tree | null = null;
  let root: SyntaxNode | null = null;
  try {
    tree = parseFrom(parser, masked, previous);
    entry.timings.set('parse', now() - start);
    start = now();
    root = tree && syntaxTree(tree, masked);
    entry.timings.set('syntax', now() - start);
  } catch {
    tree?.delete();
    tree = null;
  }
  if (!tree || !root) {
    entry.failures.push('parse');
    return entry;
  }
  const cell: IParsedCell = { index, source, masked, tree, root, memo: [] };
  entry.parsed = cell;
  entry.errors = errorRanges(cell.root);
  entry.suppressions = findSuppressions(cell.root);
  for (const rule of rules) {
    start = now();
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
    entry.timings.set(rule.id, now() - start);
  }
  start = now();
  try {
    entry.dataflow = cellDataflow(cell);
  } catch {
    entry.failures.push('dataflow');
  }
  entry.timings.set('dataflow', now() - start);
  return entry;
}

function lineCount(source: string): number {
  let count = 1;
  for (
    let at = source.indexOf('\n');
    at >= 0;
    at = source.indexOf('\n', at + 1)
  ) {
    count++;
  }
  return count;
}

/** A monotonic clock in ms (browser and node). */
export function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

/**
 * A finding from a rule's report, defaults filled in. Every finding has the
 * same fields in the same order (`action` undefined when there is none):
 * one object shape for all rules keeps sorting and copying them fast.
 */
export function makeFinding(
  rule: IRule,
  cell: number,
  report: IReport
): IFinding {
  return {
    line: report.line,
    column: report.column,
    endLine: report.endLine,
    endColumn: report.endColumn,
    message: report.message,
    fix: report.fix ?? null,
    action: report.action,
    rule: rule.id,
    cell,
    severity: report.severity ?? rule.severity,
    rationale: report.rationale ?? rule.docs.why
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
  entry.parsed?.tree?.delete();
  entry.parsed = null;
}

/**
 * Runs rules over notebook cells. (Minimal first version: no IPython masking,
 * suppression or incremental cache yet.)
 */
import type { Parser } from 'web-tree-sitter';
import type {
  IFinding,
  ILiveFacts,
  IParsedCell,
  IReport,
  IRule
} from './types';

/** One notebook cell as the analyzer receives it. */
export interface ICellInput {
  kind: 'code' | 'markdown' | 'raw';
  source: string;
}

/** Options of one analysis run. */
export interface IAnalyzeOptions {
  rules: readonly IRule[];
  live?: ILiveFacts | null;
  thresholdBytes?: number;
}

/** Parse the code cells and run every rule; findings sorted by position. */
export function analyzeCells(
  parser: Parser,
  cells: readonly ICellInput[],
  options: IAnalyzeOptions
): IFinding[] {
  const parsed: IParsedCell[] = [];
  cells.forEach((cell, index) => {
    if (cell.kind !== 'code') {
      return;
    }
    const tree = parser.parse(cell.source);
    if (tree) {
      parsed.push({
        index,
        source: cell.source,
        masked: cell.source,
        tree,
        root: tree.rootNode
      });
    }
  });
  const findings: IFinding[] = [];
  const make = (rule: IRule, cell: number, report: IReport): IFinding => ({
    rule: rule.id,
    cell,
    severity: report.severity ?? rule.severity,
    rationale: report.rationale ?? rule.docs.why,
    ...report
  });
  for (const rule of options.rules) {
    if (rule.scope === 'cell') {
      for (const cell of parsed) {
        rule.check({
          cell,
          report: r => findings.push(make(rule, cell.index, r))
        });
      }
    } else {
      rule.check({
        cells: parsed,
        live: options.live ?? null,
        thresholdBytes: options.thresholdBytes ?? 50 * 2 ** 20,
        report: (cell, r) => findings.push(make(rule, cell, r))
      });
    }
  }
  for (const cell of parsed) {
    cell.tree.delete();
  }
  return findings.sort(
    (a, b) => a.cell - b.cell || a.line - b.line || a.column - b.column
  );
}

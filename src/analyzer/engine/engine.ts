/**
 * The analysis engine: runs rules over notebook cells, incrementally.
 *
 * `NotebookAnalyzer` keeps each code cell's parse tree and cell-rule
 * findings between runs (`cell-store.ts`); after a one-cell edit only that
 * cell is re-parsed, then the notebook-level (cross-cell) rules run again
 * over the cached trees.
 */
import type { Parser } from 'web-tree-sitter';
import { notebookDataflow, positionByIndex } from '../semantic/dataflow';
import { namePositions } from '../semantic/dataflow/by-name';
import { largeness } from '../semantic/dataflow/largeness';
import { addTiming, CellStore, IStoredCell } from './cell-store';
import { compareFindings } from './order';
import { keep, makeFinding, now } from './prepare';
import { DEFAULT_THRESHOLD_BYTES } from '../../common/bytes';
import type {
  IAnalyzeOptions,
  IAnalyzerStats,
  ICellInput,
  ICellDataflow,
  ICellRule,
  IFinding,
  INotebookDataflow,
  INotebookRule,
  IParsedCell,
  IReport,
  IRule
} from '../types';

export type { IAnalyzeOptions, IAnalyzerStats, ICellInput };

/**
 * Something the user should know about a cell that is not a finding: a
 * syntax error (nothing is reported inside the broken statement) or a cell
 * too large to analyze. Positions are 0-based, like findings.
 */
export interface ICellNotice {
  /** 0-based index among ALL cells of the notebook. */
  cell: number;
  line: number;
  column: number;
  kind: 'syntax-error' | 'too-large';
  message: string;
}

export { DEFAULT_THRESHOLD_BYTES };

/** True when rule `id` is enabled by select/ignore/disabled. */
export function ruleEnabled(id: string, options: IAnalyzeOptions): boolean {
  const match = (list?: readonly string[]) =>
    list?.some(prefix => prefix !== '' && id.startsWith(prefix.toUpperCase()));
  if (options.select?.length && !match(options.select)) {
    return false;
  }
  return !match(options.ignore) && !match(options.disabled);
}

/** Incremental analyzer of one notebook. Call `dispose()` when done. */
export class NotebookAnalyzer {
  /**
   * @param parser A Python parser from `createPythonParser`.
   * @param rules Every rule the analyzer may run (e.g. `ALL_RULES`).
   */
  constructor(parser: Parser, rules: readonly IRule[]) {
    this.cells = new CellStore(
      parser,
      rules.filter((r): r is ICellRule => r.scope === 'cell')
    );
    this.notebookRules = rules.filter(
      (r): r is INotebookRule => r.scope === 'notebook'
    );
  }

  /** Counters of the last `analyze` run. */
  get stats(): IAnalyzerStats {
    return this.lastStats;
  }

  /** True after `dispose()`. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Analyze the notebook's cells (all of them, markdown included, so that
   * finding cell indices are notebook indices); findings sorted by
   * position. Never throws on bad input: a rule that fails is skipped for
   * that cell and listed in `stats.failures`.
   */
  analyze(
    cells: readonly ICellInput[],
    options: IAnalyzeOptions = {}
  ): IFinding[] {
    if (this.disposed) {
      throw new Error('NotebookAnalyzer is disposed');
    }
    const stats: IAnalyzerStats = {
      parsed: 0,
      reused: 0,
      incremental: 0,
      failures: [],
      timings: {}
    };
    const entries = this.cells.refresh(cells, stats);
    const parsed: IParsedCell[] = [];
    const flows: ICellDataflow[] = [];
    const findings: IFinding[] = [];
    const enabled = new Map<string, boolean>();
    const isEnabled = (id: string): boolean => {
      let on = enabled.get(id);
      if (on === undefined) {
        on = ruleEnabled(id, options);
        enabled.set(id, on);
      }
      return on;
    };
    for (const { entry } of entries) {
      if (entry.failures.length > 0) {
        stats.failures.push(...entry.failures);
      }
      if (entry.parsed) {
        parsed.push(entry.parsed);
      }
      if (entry.dataflow) {
        flows.push(entry.dataflow);
      }
      for (const finding of entry.findings) {
        if (isEnabled(finding.rule)) {
          findings.push(finding);
        }
      }
    }
    const start = now();
    const dataflow = notebookDataflow(flows, this.lastDataflow, {
      fileSize: options.fileSize,
      outputs: savedOutputs(cells)
    });
    this.lastDataflow = dataflow;
    if (this.notebookRules.some(rule => isEnabled(rule.id))) {
      // The notebook-wide passes the notebook rules share (the name index,
      // the largeness replay), each incremental from the previous run.
      namePositions(dataflow);
      largeness(dataflow);
    }
    addTiming(stats, 'dataflow', now() - start);
    for (const rule of this.notebookRules) {
      if (!isEnabled(rule.id)) {
        continue;
      }
      const start = now();
      try {
        rule.check({
          cells: parsed,
          dataflow,
          live: options.live ?? null,
          thresholdBytes: options.thresholdBytes ?? DEFAULT_THRESHOLD_BYTES,
          activeCell: options.activeCell ?? null,
          report: (cell, report) => {
            const at = positionByIndex(entries, cell, indexOfStored);
            const finding = this.findingOf(rule, cell, report);
            if (at >= 0 && keep(entries[at].entry, finding)) {
              findings.push(finding);
            }
          }
        });
      } catch {
        stats.failures.push(rule.id);
      }
      addTiming(stats, rule.id, now() - start);
    }
    this.lastStats = stats;
    return findings.sort(compareFindings);
  }

  /**
   * Notices of the last `analyze` run, sorted by cell: the first syntax
   * error of each cell that has one, and cells too large to analyze.
   */
  notices(): ICellNotice[] {
    const notices: ICellNotice[] = [];
    for (const { entry, index } of this.cells.values()) {
      if (entry.failures.includes('too-large')) {
        notices.push({
          cell: index,
          line: 0,
          column: 0,
          kind: 'too-large',
          message: 'cell too large to analyze, cell skipped'
        });
      } else if (entry.errors.length > 0) {
        const first = entry.errors.reduce((a, b) =>
          b.line < a.line || (b.line === a.line && b.column < a.column) ? b : a
        );
        notices.push({
          cell: index,
          line: first.line,
          column: first.column,
          kind: 'syntax-error',
          message: 'syntax error, statement skipped'
        });
      }
    }
    return notices.sort((a, b) => a.cell - b.cell);
  }

  /**
   * Notebook index of the last code cell that binds `name` at top level in
   * the last `analyze` run, or null: where a live finding about a variable
   * belongs when it is shown by cell.
   */
  bindingCell(name: string): number | null {
    const cells = this.lastDataflow?.cells ?? [];
    for (let i = cells.length - 1; i >= 0; i--) {
      if (cells[i].defs.some(def => def.name === name)) {
        return cells[i].cell;
      }
    }
    return null;
  }

  /**
   * The finding of a notebook rule's report. A rule that reports the same
   * report object again (a fact it keeps between runs) gets the same
   * finding: unchanged findings cost nothing after an edit.
   */
  private findingOf(rule: IRule, cell: number, report: IReport): IFinding {
    const known = this.findings.get(report);
    if (known?.cell === cell && known.rule === rule.id) {
      return known;
    }
    const finding = makeFinding(rule, cell, report);
    this.findings.set(report, finding);
    return finding;
  }

  /** Free every cached tree. Idempotent. */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.cells.dispose();
    this.lastDataflow = null;
  }

  /** The code cells between runs. */
  private readonly cells: CellStore;
  private readonly notebookRules: readonly INotebookRule[];
  private lastStats: IAnalyzerStats = {
    parsed: 0,
    reused: 0,
    incremental: 0,
    failures: [],
    timings: {}
  };
  private disposed = false;
  /** Findings of notebook-rule reports that rules may report again. */
  private findings = new WeakMap<IReport, IFinding>();
  /** The last run's notebook dataflow, which the next run's builds on. */
  private lastDataflow: INotebookDataflow | null = null;
}

const indexOfStored = (stored: IStoredCell): number => stored.index;

/**
 * One-shot analysis (no cache kept): parse the code cells and run `rules`.
 * Findings sorted by position.
 */
export function analyzeCells(
  parser: Parser,
  cells: readonly ICellInput[],
  options: IAnalyzeOptions & { rules: readonly IRule[] }
): IFinding[] {
  const analyzer = new NotebookAnalyzer(parser, options.rules);
  try {
    return analyzer.analyze(cells, options);
  } finally {
    analyzer.dispose();
  }
}

/** The saved output text of the cells that have some, by notebook index. */
function savedOutputs(
  cells: readonly ICellInput[]
): ReadonlyMap<number, string> | undefined {
  let outputs: Map<number, string> | undefined;
  cells.forEach((cell, index) => {
    if (cell.outputs) {
      (outputs ??= new Map()).set(index, cell.outputs);
    }
  });
  return outputs;
}

/**
 * The analyzer's code cells between runs: each cell's prepared entry
 * (parse, syntax tree, cell-rule findings, cell dataflow) kept by the
 * cell's key (its id when given, else its index) and found again by its
 * source when the cell moved. A run prepares only the cells whose source
 * is new; an edited cell is re-parsed from its previous tree.
 */
import type { Parser } from 'web-tree-sitter';
import { KeptTrees } from './kept-trees';
import { disposeEntry, ICellEntry, moveEntry, prepareCell } from './prepare';
import type {
  IAnalyzerStats,
  ICellInput,
  ICellRule,
  IParsedCell
} from '../types';

/** A code cell's entry, with its notebook index and key in the last run. */
export interface IStoredCell {
  entry: ICellEntry;
  index: number;
  key: string;
  /** The last run that took it. */
  run: number;
}

/** Add `ms` to a step's time in `stats`. */
export function addTiming(
  stats: IAnalyzerStats,
  step: string,
  ms: number
): void {
  stats.timings[step] = (stats.timings[step] ?? 0) + ms;
}

/** The prepared code cells of one notebook. */
export class CellStore {
  constructor(
    private readonly parser: Parser,
    private readonly rules: readonly ICellRule[]
  ) {}

  /** The cells of the last run, in no particular order. */
  values(): IterableIterator<IStoredCell> {
    return this.cache.values();
  }

  /**
   * The code cells of `cells` in notebook order: cached entries whose
   * source is unchanged (moved to their new index), the others prepared.
   * Counts and timings go to `stats`; entries of cells gone are freed.
   */
  refresh(cells: readonly ICellInput[], stats: IAnalyzerStats): IStoredCell[] {
    const old = this.cache;
    // cells taken from `old` this run are marked, not deleted (a thousand
    // deletes shrink and rehash the map on every keystroke)
    const run = ++this.runs;
    const free = (stored: IStoredCell | undefined) =>
      stored !== undefined && stored.run !== run ? stored : undefined;
    const next = new Map<string, IStoredCell>();
    const result: IStoredCell[] = [];
    cells.forEach((cell, index) => {
      if (cell.kind !== 'code') {
        return;
      }
      let key = cell.id ?? `#${index}`;
      if (next.has(key)) {
        key = `${key}#${index}`; // duplicate ids: keep both cells
      }
      let stored = free(old.get(key));
      if (stored?.entry.source !== cell.source) {
        // a cell with this source not taken yet: the cell moved
        stored = this.bySource
          .get(cell.source)
          ?.find(other => free(old.get(other.key)) === other);
      }
      if (stored) {
        moveEntry(stored.entry, stored.index, index);
        stored.index = index;
        stored.key = key;
        stored.run = run;
        stats.reused++;
      } else {
        // the same cell before this edit: tree-sitter re-parses from it
        const previous = free(old.get(key))?.entry.parsed ?? null;
        stored = this.prepare(cell.source, index, key, run, previous);
        stats.parsed++;
        if (previous?.tree) {
          stats.incremental++;
        }
        for (const [step, ms] of stored.entry.timings) {
          addTiming(stats, step, ms);
        }
      }
      next.set(key, stored);
      result.push(stored);
    });
    for (const gone of old.values()) {
      if (gone.run !== run) {
        this.forget(gone);
      }
    }
    this.cache = next;
    return result;
  }

  /** Free every entry. */
  dispose(): void {
    for (const { entry } of this.cache.values()) {
      disposeEntry(entry);
    }
    this.cache.clear();
    this.bySource.clear();
    this.keptTrees = new KeptTrees();
  }

  /** Prepare a cell, from `previous` (the same cell before an edit). */
  private prepare(
    source: string,
    index: number,
    key: string,
    run: number,
    previous: IParsedCell | null
  ): IStoredCell {
    const entry = prepareCell(this.parser, index, source, this.rules, previous);
    this.keptTrees.keep(entry);
    const stored = { entry, index, key, run };
    const same = this.bySource.get(source);
    if (same) {
      same.push(stored);
    } else {
      this.bySource.set(source, [stored]);
    }
    return stored;
  }

  /** Free a cell that is gone. */
  private forget(gone: IStoredCell): void {
    this.keptTrees.forget(gone.entry);
    disposeEntry(gone.entry);
    const same = this.bySource.get(gone.entry.source)!;
    same.splice(same.indexOf(gone), 1);
    if (same.length === 0) {
      this.bySource.delete(gone.entry.source);
    }
  }

  private cache = new Map<string, IStoredCell>();
  /** Runs of `refresh` so far (marks the cells each run took). */
  private runs = 0;
  /** The cached cells by source, to find a moved cell by its text. */
  private bySource = new Map<string, IStoredCell[]>();
  private keptTrees = new KeptTrees();
}

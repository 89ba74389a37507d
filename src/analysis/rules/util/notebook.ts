/**
 * Per-cell facts for notebook-scope rules, each computed at most once per
 * analysis run and only when a rule asks: looking at "every later cell" for
 * each finding must not rescan the notebook's trees.
 */
import type { Node } from 'web-tree-sitter';
import type { IParsedCell } from '../../types';
import { Aliases, importAliases } from './names';
import { releasedNames } from './resources';
import { referenceIndex } from './with-block';

/** Lazily computed facts about the cells of one notebook. */
export class NotebookIndex {
  /** @param cells the parsed code cells, in notebook order */
  constructor(readonly cells: readonly IParsedCell[]) {}

  /** Variable references of the cell at `position`, by name. */
  references(position: number): Map<string, Node[]> {
    return this._cached(this._references, position, () =>
      referenceIndex(this.cells[position].root)
    );
  }

  /** The imports of the cell at `position` alone (conventional aliases included). */
  imports(position: number): Aliases {
    return this._cached(this._imports, position, () =>
      importAliases([this.cells[position].root])
    );
  }

  /** Names released (closed, handed off) by the cell at `position`. */
  released(position: number, closers: ReadonlySet<string>): Set<string> {
    let perCell = this._released.get(closers);
    if (!perCell) {
      perCell = new Map();
      this._released.set(closers, perCell);
    }
    return this._cached(perCell, position, () =>
      releasedNames(this.cells[position].root, closers)
    );
  }

  /** The first cell after `position` for which `test` holds, or -1. */
  findAfter(position: number, test: (position: number) => boolean): number {
    for (let p = position + 1; p < this.cells.length; p++) {
      if (test(p)) {
        return p;
      }
    }
    return -1;
  }

  /** True when a cell after `position` references `name`. */
  usedAfter(position: number, name: string): boolean {
    return this.findAfter(position, p => this.references(p).has(name)) >= 0;
  }

  private _cached<T>(
    cache: Map<number, T>,
    position: number,
    compute: () => T
  ): T {
    let value = cache.get(position);
    if (value === undefined) {
      value = compute();
      cache.set(position, value);
    }
    return value;
  }

  private _references = new Map<number, Map<string, Node[]>>();
  private _imports = new Map<number, Aliases>();
  private _released = new Map<ReadonlySet<string>, Map<number, Set<string>>>();
}

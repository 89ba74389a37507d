/**
 * Per-cell facts for notebook-scope rules. A notebook rule re-runs after any
 * edit, but most cells are unchanged: facts that depend on one cell's tree
 * alone (its imports, references, released names, candidate calls) are
 * cached with the tree and computed once for its lifetime, so a re-run only
 * walks the edited cell and otherwise does plain JavaScript over small
 * arrays and sets.
 */
import type { SyntaxNode } from '../../syntax';
import type { IParsedCell } from '../../types';
import { cellCalls } from './calls';
import { perCell } from './cell-cache';
import { Aliases, CONVENTIONAL_ALIASES, importAliases } from './names';
import { releasedNames } from './resources';
import { referenceIndex } from './with-block';

/** What is cached for one tree. */
interface ICellFacts {
  references?: Map<string, SyntaxNode[]>;
  /** Imports of the cell that differ from the conventional aliases. */
  imports?: Map<string, string>;
  released: Map<ReadonlySet<string>, Set<string>>;
  calls: Map<string, SyntaxNode[]>;
}

const factsOf = perCell((): ICellFacts => ({
  released: new Map(),
  calls: new Map()
}));

/** Merged aliases per cells array (the rules of one run share it). */
const aliasCache = new WeakMap<readonly IParsedCell[], Aliases>();

/** Facts about the cells of one notebook, cached per cell tree. */
export class NotebookIndex {
  /** @param cells the parsed code cells, in notebook order */
  constructor(readonly cells: readonly IParsedCell[]) {}

  /** Variable references of the cell at `position`, by name. */
  references(position: number): Map<string, SyntaxNode[]> {
    const facts = factsOf(this.cells[position]);
    facts.references ??= referenceIndex(this.cells[position].root);
    return facts.references;
  }

  /** The imports of the cell at `position` that differ from the conventional aliases. */
  imports(position: number): ReadonlyMap<string, string> {
    const facts = factsOf(this.cells[position]);
    if (!facts.imports) {
      const all = importAliases([this.cells[position].root]);
      facts.imports = new Map(
        [...all].filter(([k, v]) => CONVENTIONAL_ALIASES.get(k) !== v)
      );
    }
    return facts.imports;
  }

  /** The aliases of every cell's imports on top of the conventional ones. */
  aliases(): Aliases {
    this._aliases ??= aliasCache.get(this.cells) ?? null;
    if (!this._aliases) {
      const merged = new Map(CONVENTIONAL_ALIASES);
      this.cells.forEach((_, p) => {
        for (const [local, qualified] of this.imports(p)) {
          merged.set(local, qualified);
        }
      });
      this._aliases = merged;
      aliasCache.set(this.cells, merged);
    }
    return this._aliases;
  }

  /** Names released (closed, handed off) by the cell at `position`. */
  released(position: number, closers: ReadonlySet<string>): Set<string> {
    const facts = factsOf(this.cells[position]);
    let names = facts.released.get(closers);
    if (!names) {
      names = releasedNames(this.cells[position].root, closers);
      facts.released.set(closers, names);
    }
    return names;
  }

  /**
   * The calls of the cell at `position` that `select` keeps, cached under
   * `key`. `select` must look at syntax only (no other cell, no aliases).
   */
  calls(
    position: number,
    key: string,
    select: (call: SyntaxNode) => boolean
  ): SyntaxNode[] {
    const facts = factsOf(this.cells[position]);
    let calls = facts.calls.get(key);
    if (!calls) {
      calls = this.cells[position].root
        .descendantsOfType('call')
        .filter(select);
      facts.calls.set(key, calls);
    }
    return calls;
  }

  /**
   * The calls of the cell at `position` whose callee's last segment
   * ({@link NotebookIndex.calleeTail}) passes `test`, cached under `key`.
   * One walk per cell serves every rule that selects calls this way.
   */
  callsByTail(
    position: number,
    key: string,
    test: (tail: string) => boolean
  ): SyntaxNode[] {
    const facts = factsOf(this.cells[position]);
    let calls = facts.calls.get(key);
    if (!calls) {
      calls = cellCalls(this.cells[position])
        .filter(t => test(t.tail))
        .map(t => t.call);
      facts.calls.set(key, calls);
    }
    return calls;
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

  /** The last segment of a call's function: `open` for `gzip.open(...)`, `Path(p).open(...)`. */
  static calleeTail(call: SyntaxNode): string {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'identifier') {
      return fn.text;
    }
    return fn?.type === 'attribute'
      ? (fn.childForFieldName('attribute')?.text ?? '')
      : '';
  }

  private _aliases: Aliases | null = null;
}

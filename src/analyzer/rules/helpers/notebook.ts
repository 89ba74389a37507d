/**
 * Per-cell facts for notebook-scope rules. A notebook rule re-runs after any
 * edit, but most cells are unchanged: facts that depend on one cell's tree
 * alone (its imports, references, released names, candidate calls) are
 * cached with the tree and computed once for its lifetime, so a re-run only
 * walks the edited cell and otherwise does plain JavaScript over small
 * arrays and sets.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { IParsedCell } from '../../types';
import { cellCalls } from './calls';
import { perCell } from './cell-cache';
import { Aliases, cellImports, notebookAliases } from './names';
import { releasedNames } from './resources';
import { referenceIndex } from './with-block';

/** What is cached for one tree. */
interface ICellFacts {
  references?: Map<string, SyntaxNode[]>;
  released: Map<ReadonlySet<string>, Set<string>>;
}

const factsOf = perCell((): ICellFacts => ({
  released: new Map()
}));

/**
 * A selector of the calls of a cell whose callee's last segment
 * ({@link NotebookIndex.calleeTail}) passes `test`, computed once per parsed
 * cell. Made once per rule (module level): a notebook rule asks every cell
 * on every run, and this is then one array read per cell.
 */
export function callsByTail(
  test: (tail: string) => boolean
): (cell: IParsedCell) => SyntaxNode[] {
  return perCell(cell =>
    cellCalls(cell)
      .filter(t => test(t.tail))
      .map(t => t.call)
  );
}

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

  /** The aliases bound by the imports of the cell at `position`. */
  imports(position: number): Aliases {
    return cellImports(this.cells[position]);
  }

  /** The aliases of every cell's imports on top of the conventional ones. */
  aliases(): Aliases {
    return notebookAliases(this.cells);
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
}

/**
 * Which cells keep their tree-sitter tree. Rules read the `SyntaxNode`
 * copy (syntax.ts); tree-sitter's own tree is only needed to re-parse the
 * cell incrementally after an edit, and the trees of a large notebook take
 * tens of megabytes of wasm memory. So only the most recently parsed cells
 * keep theirs (the cell being typed in among them, after its first edit);
 * an edit of another cell parses it from scratch, which for one cell is a
 * fraction of a millisecond.
 */
import type { ICellEntry } from './prepare';

/** How many cells keep their tree. */
export const KEPT_TREES = 64;

/** The cells that keep their tree, least recently parsed first. */
export class KeptTrees {
  /** Keep `entry`'s tree, releasing the oldest kept tree beyond the limit. */
  keep(entry: ICellEntry): void {
    if (!entry.parsed?.tree) {
      return;
    }
    this.entries.delete(entry);
    this.entries.add(entry);
    for (const oldest of this.entries) {
      if (this.entries.size <= KEPT_TREES) {
        break;
      }
      this.entries.delete(oldest);
      oldest.parsed?.tree?.delete();
      if (oldest.parsed) {
        oldest.parsed.tree = null;
      }
    }
  }

  /** Forget `entry` (its tree is freed with it). */
  forget(entry: ICellEntry): void {
    this.entries.delete(entry);
  }

  private entries = new Set<ICellEntry>();
}

/**
 * Cell deltas: the main thread sends the analysis worker the cell order
 * and only the cells the worker does not have in their current form; both
 * sides keep the same map of key → cell, the main thread as "what the
 * worker got", the worker as its copy of the notebook.
 */
import type { ICellInput } from '../analyzer/engine/engine';
import type { ICellChange } from './protocol';

/** One notebook's cells by key: what the worker holds. */
export type CellCopy = Map<string, ICellInput>;

/**
 * A unique key for each cell: its id (a cell without id: `#<index>`;
 * the second cell with an id already seen: `<id>#2`, and so on). nbformat
 * ids never contain `#`, so keys do not collide with ids.
 */
export function cellKeys(cells: readonly ICellInput[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, index) => {
    if (cell.id === undefined) {
      return `#${index}`;
    }
    const count = (seen.get(cell.id) ?? 0) + 1;
    seen.set(cell.id, count);
    return count === 1 ? cell.id : `${cell.id}#${count}`;
  });
}

/** What to send, and what the worker will hold once it applied it. */
export interface IDelta {
  /** Keys of all cells, in notebook order. */
  order: string[];
  /** Cells whose key is new or whose kind or source changed. */
  changed: ICellChange[];
  /** The worker's copy after this delta (cells no longer present dropped). */
  next: CellCopy;
}

/** The delta that brings the worker from `sent` to `cells`. */
export function cellDelta(
  sent: CellCopy,
  cells: readonly ICellInput[]
): IDelta {
  const order = cellKeys(cells);
  const changed: ICellChange[] = [];
  const next: CellCopy = new Map();
  cells.forEach((cell, index) => {
    const key = order[index];
    const old = sent.get(key);
    // Sources are compared by value: the shared model returns a new string
    // on every read, so an unchanged cell is a cheap equal-strings compare.
    if (!old || old.source !== cell.source || old.kind !== cell.kind) {
      changed.push({ key, id: cell.id, kind: cell.kind, source: cell.source });
    }
    next.set(key, { id: cell.id, kind: cell.kind, source: cell.source });
  });
  return { order, changed, next };
}

/** The worker's copy does not have a cell the main thread thinks it sent. */
export class OutOfSyncError extends Error {
  constructor(key: string) {
    super(`analysis worker has no cell "${key}"; resending every cell`);
    this.name = 'OutOfSyncError';
  }
}

/**
 * Apply a delta to the worker's `copy` (in place: changed cells replaced,
 * cells missing from `order` dropped) and return the notebook's cells in
 * order. Throws `OutOfSyncError` when a key of `order` is unknown; `copy`
 * is then emptied, so that nothing stale survives the resync.
 */
export function applyDelta(
  copy: CellCopy,
  order: readonly string[],
  changed: readonly ICellChange[]
): ICellInput[] {
  for (const { key, id, kind, source } of changed) {
    copy.set(key, { id, kind, source });
  }
  const cells: ICellInput[] = [];
  for (const key of order) {
    const cell = copy.get(key);
    if (!cell) {
      copy.clear();
      throw new OutOfSyncError(key);
    }
    cells.push(cell);
  }
  if (copy.size > cells.length) {
    const keep = new Set(order);
    for (const key of copy.keys()) {
      if (!keep.has(key)) {
        copy.delete(key);
      }
    }
  }
  return cells;
}

/**
 * Per-cell memoization for notebook-scope rules. A notebook rule re-runs
 * after any edit, but a fact that depends on one cell's tree alone is
 * computed once per parsed cell and cached with its tree (a new tree, after
 * an edit, starts empty), so a re-run walks only the edited cell.
 *
 * A computed fact must not capture the cell's notebook `index` (cells move
 * without being re-parsed): read `cell.index` when reporting instead.
 */
import type { IParsedCell } from '../../types';

/** Memo slots handed out so far (one per `perCell` function). */
let slots = 0;

/**
 * Memoize `compute` per parsed cell (in the cell's `memo`, at a slot of
 * its own: an array read, where a notebook rule asks each of hundreds of
 * cells on every edit). `compute` may only look at that cell's tree and
 * source.
 */
export function perCell<T>(
  compute: (cell: IParsedCell) => T
): (cell: IParsedCell) => T {
  const slot = slots++;
  return cell => {
    const memo = cell.memo;
    if (slot >= memo.length || (memo[slot] === undefined && !(slot in memo))) {
      memo[slot] = compute(cell);
    }
    return memo[slot] as T;
  };
}

/**
 * Memoize `compute` per object (a dataflow binding or reference, a node);
 * the object must be immutable for the lifetime of its cell's tree.
 */
export function perObject<K extends object, T>(
  compute: (key: K) => T
): (key: K) => T {
  const cache = new WeakMap<K, { value: T }>();
  return key => {
    let hit = cache.get(key);
    if (!hit) {
      hit = { value: compute(key) };
      cache.set(key, hit);
    }
    return hit.value;
  };
}

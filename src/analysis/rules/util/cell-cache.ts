/**
 * Per-cell memoization for notebook-scope rules. A notebook rule re-runs
 * after any edit, but a fact that depends on one cell's tree alone is
 * computed once per parsed cell and cached with its tree (a new tree, after
 * an edit, starts empty), so a re-run walks only the edited cell.
 *
 * A computed fact must not capture the cell's notebook `index` (cells move
 * without being re-parsed): read `cell.index` when reporting instead.
 */
import type { SyntaxNode } from '../../syntax';
import type { IParsedCell } from '../../types';

/**
 * Memoize `compute` per parsed cell (keyed by its tree). `compute` may only
 * look at that cell's tree and source.
 */
export function perCell<T>(
  compute: (cell: IParsedCell) => T
): (cell: IParsedCell) => T {
  const cache = new WeakMap<SyntaxNode, { value: T }>();
  return cell => {
    let hit = cache.get(cell.root);
    if (!hit) {
      hit = { value: compute(cell) };
      cache.set(cell.root, hit);
    }
    return hit.value;
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

/**
 * The notebook's dataflow indexed by name, for notebook rules that follow
 * one name through the cells. Each cell's defs/refs/deletes are grouped by
 * name once (cached with the cell's dataflow arrays); a run only merges the
 * groups' names into a name → cell positions map, shared by all rules of
 * that run.
 */
import type {
  IBinding,
  ICellDataflow,
  INotebookDataflow,
  IParsedCell,
  IReference
} from '../../types';
import { previousDataflow } from './index';
import type { ILargeness } from './largeness';

/** One name's defs, reads and deletes in one cell, in dataflow order. */
export interface INameGroup {
  defs: IBinding[];
  /** Index of each of `defs` in the cell's `defs`. */
  defIndices: number[];
  refs: IReference[];
  /** Index of each of `refs` in the cell's `refs`. */
  refIndices: number[];
  deletes: IReference[];
}

const groupCache = new WeakMap<
  readonly IReference[],
  Map<string, INameGroup>
>();

/** The cell's defs, refs and deletes grouped by name. */
export function nameGroups(
  flow: ICellDataflow
): ReadonlyMap<string, INameGroup> {
  let groups = groupCache.get(flow.refs);
  if (!groups) {
    const built = new Map<string, INameGroup>();
    const group = (name: string): INameGroup => {
      let found = built.get(name);
      if (!found) {
        found = {
          defs: [],
          defIndices: [],
          refs: [],
          refIndices: [],
          deletes: []
        };
        built.set(name, found);
      }
      return found;
    };
    flow.defs.forEach((def, index) => {
      const found = group(def.name);
      found.defs.push(def);
      found.defIndices.push(index);
    });
    flow.refs.forEach((ref, index) => {
      const found = group(ref.name);
      found.refs.push(ref);
      found.refIndices.push(index);
    });
    flow.deletes.forEach(gone => group(gone.name).deletes.push(gone));
    groups = built;
    groupCache.set(flow.refs, groups);
  }
  return groups;
}

const positionCache = new WeakMap<INotebookDataflow, Map<string, number[]>>();

/**
 * For each name, the positions (indices into `dataflow.cells`) of the cells
 * that bind, read or delete it, in notebook order. After a run over the
 * same number of cells where only a few cells changed, the index of the
 * dataflow before the edit is patched instead of rebuilt. (Only look names up: the map's
 * iteration order is not meaningful.)
 */
export function namePositions(
  dataflow: INotebookDataflow
): ReadonlyMap<string, readonly number[]> {
  let positions = positionCache.get(dataflow);
  if (!positions) {
    const before = previousDataflow(dataflow);
    const old = before && positionCache.get(before);
    positions = (old && patch(before, old, dataflow)) ?? build(dataflow);
    if (before) {
      // The previous index may have been patched in place: never reuse it.
      positionCache.delete(before);
    }
    positionCache.set(dataflow, positions);
  }
  return positions;
}

/** A value of {@link perName} and the cells it was computed from. */
interface INameMemo<T> {
  positions: readonly number[];
  flows: readonly ICellDataflow[];
  value: T;
}

const NO_POSITIONS: readonly number[] = [];

/**
 * Memoize a fact about one name that depends only on the cells that
 * mention it (`positions`, from {@link namePositions}, and their dataflow).
 * Between runs over the same notebook the value is reused while those are
 * the same cells' dataflow at the same positions: an edit recomputes only
 * the names its cell mentions, before or after the edit (and, after cells
 * are inserted or removed, the names whose positions moved). Notebook
 * rules that follow hundreds of names then touch only those.
 *
 * `compute` must not read other cells, other names' facts or anything
 * outside the dataflow (sizes, settings): the caller combines those.
 * `cells` (the run's parsed cells) is handed through to `compute` to look
 * up the trees of the name's cells (as unchanged as their dataflow).
 */
export function perName<T>(
  compute: (
    dataflow: INotebookDataflow,
    name: string,
    positions: readonly number[],
    cells: readonly IParsedCell[]
  ) => T
): (
  dataflow: INotebookDataflow,
  name: string,
  cells: readonly IParsedCell[]
) => T {
  const memos = new WeakMap<INotebookDataflow, Map<string, INameMemo<T>>>();
  const memoOf = (dataflow: INotebookDataflow): Map<string, INameMemo<T>> => {
    let memo = memos.get(dataflow);
    if (!memo) {
      const before = previousDataflow(dataflow);
      memo = (before && memos.get(before)) ?? new Map();
      if (before) {
        memos.delete(before);
      }
      // names no longer in the notebook would keep old cells alive
      const names = namePositions(dataflow);
      if (memo.size > 2 * names.size + 64) {
        for (const name of memo.keys()) {
          if (!names.has(name)) {
            memo.delete(name);
          }
        }
      }
      memos.set(dataflow, memo);
    }
    return memo;
  };
  return (dataflow, name, cells) => {
    const memo = memoOf(dataflow);
    const positions = namePositions(dataflow).get(name) ?? NO_POSITIONS;
    const hit = memo.get(name);
    if (hit && sameCells(hit, positions, dataflow.cells)) {
      return hit.value;
    }
    const value = compute(dataflow, name, positions, cells);
    memo.set(name, {
      // the name index patches its arrays in place: keep a copy
      positions: positions.slice(),
      flows: positions.map(p => dataflow.cells[p]),
      value
    });
    return value;
  };
}

function sameCells<T>(
  memo: INameMemo<T>,
  positions: readonly number[],
  flows: readonly ICellDataflow[]
): boolean {
  if (memo.positions.length !== positions.length) {
    return false;
  }
  for (let i = 0; i < positions.length; i++) {
    if (
      memo.positions[i] !== positions[i] ||
      memo.flows[i] !== flows[positions[i]]
    ) {
      return false;
    }
  }
  return true;
}

function build(dataflow: INotebookDataflow): Map<string, number[]> {
  const built = new Map<string, number[]>();
  dataflow.cells.forEach((flow, position) => {
    for (const name of nameGroups(flow).keys()) {
      const list = built.get(name);
      if (list) {
        list.push(position);
      } else {
        built.set(name, [position]);
      }
    }
  });
  return built;
}

/** Most cells patched in place; beyond that, rebuild. */
const MAX_PATCHED = 8;

function patch(
  old: INotebookDataflow,
  positions: Map<string, number[]>,
  dataflow: INotebookDataflow
): Map<string, number[]> | null {
  if (old.cells.length !== dataflow.cells.length) {
    return null;
  }
  const changed: number[] = [];
  for (let p = 0; p < old.cells.length; p++) {
    if (old.cells[p].refs !== dataflow.cells[p].refs) {
      changed.push(p);
      if (changed.length > MAX_PATCHED) {
        return null;
      }
    }
  }
  for (const p of changed) {
    for (const name of nameGroups(old.cells[p]).keys()) {
      const list = positions.get(name)!;
      list.splice(list.indexOf(p), 1);
      if (list.length === 0) {
        positions.delete(name);
      }
    }
    for (const name of nameGroups(dataflow.cells[p]).keys()) {
      const list = positions.get(name);
      if (!list) {
        positions.set(name, [p]);
        continue;
      }
      let at = list.length;
      while (at > 0 && list[at - 1] > p) {
        at--;
      }
      list.splice(at, 0, p);
    }
  }
  return positions;
}

/**
 * True when `name` is bound to a large value once the cell at `position`
 * has run (its bindings, then its deletes), as the replay in largeness.ts tracks it.
 */
export function largeAfter(
  dataflow: INotebookDataflow,
  large: ILargeness,
  name: string,
  position: number
): boolean {
  const positions = namePositions(dataflow).get(name) ?? [];
  let at = positions.length - 1;
  while (at >= 0 && positions[at] > position) {
    at--;
  }
  for (; at >= 0; at--) {
    const p = positions[at];
    const group = nameGroups(dataflow.cells[p]).get(name)!;
    if (group.deletes.length > 0) {
      return false;
    }
    for (let d = group.defs.length - 1; d >= 0; d--) {
      if (large.bindings[p][group.defIndices[d]] === 1) {
        return true;
      }
      if (group.defs[d].kind !== 'augmented') {
        return false;
      }
    }
  }
  return false;
}

/**
 * The binding `name` holds once the cell at `position` has run (null when
 * unbound then: never bound, or deleted).
 */
export function bindingAfter(
  dataflow: INotebookDataflow,
  name: string,
  position: number
): IBinding | null {
  const positions = namePositions(dataflow).get(name) ?? [];
  let at = positions.length - 1;
  while (at >= 0 && positions[at] > position) {
    at--;
  }
  for (; at >= 0; at--) {
    const group = nameGroups(dataflow.cells[positions[at]]).get(name)!;
    if (group.deletes.length > 0) {
      return null;
    }
    for (let d = group.defs.length - 1; d >= 0; d--) {
      if (group.defs[d].kind !== 'augmented') {
        return group.defs[d];
      }
    }
  }
  return null;
}

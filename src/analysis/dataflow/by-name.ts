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
  IReference
} from '../types';

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
 * that bind, read or delete it, in notebook order.
 */
export function namePositions(
  dataflow: INotebookDataflow
): ReadonlyMap<string, readonly number[]> {
  let positions = positionCache.get(dataflow);
  if (!positions) {
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
    positions = built;
    positionCache.set(dataflow, positions);
  }
  return positions;
}

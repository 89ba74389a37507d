/**
 * Who else holds a value, for ML201: a name is shared when another name
 * aliases it (`b = a`), views its buffer (`a[:, 0]`, `df["col"]`,
 * `df.head(10)`, `df.values`) or an object built from it keeps it
 * (`Dataset(df)`): deleting the name alone then frees nothing.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { callArguments, calleeName } from '../../syntax/tree';
import type { IBinding, INotebookDataflow } from '../../types';
import { bindingAfter, perName } from '../../semantic/dataflow/by-name';
import { perObject } from '../helpers/cell-cache';
import { viewBase } from '../../semantic/dataflow/views';

/**
 * True when another name shares `name`'s object: `b = a` (both), `v =
 * a[:, 0]`, `s = df["col"]` (views that keep the buffer alive). Such a
 * binding reads or binds `name`, so only the cells the name index lists
 * for it are looked at.
 */
export const isShared = perName((dataflow, name, positions): boolean =>
  positions.some(position =>
    sharedIn(dataflow.cells[position].defs).some(
      shared =>
        shared.name === name &&
        (shared.holder === null ||
          stillHolds(dataflow, shared.holder, dataflow.cells.length - 1))
    )
  )
);

/**
 * A name another binding shares: always (`b = a`: both names), or while
 * `holder` (a view or an object built from the name) is what its name
 * holds.
 */
interface IShared {
  name: string;
  holder: IBinding | null;
}

/** The holder binding is still its name's binding once `position` ran. */
function stillHolds(
  dataflow: INotebookDataflow,
  holder: IBinding,
  position: number
): boolean {
  return bindingAfter(dataflow, holder.name, position) === holder;
}

/** The names one cell's bindings share (cached per cell's defs). */
const sharedIn = perObject((defs: readonly IBinding[]): IShared[] => {
  const shared: IShared[] = [];
  for (const def of defs) {
    const value = def.value;
    if (value?.type === 'identifier') {
      shared.push(
        { name: value.text, holder: null },
        { name: def.name, holder: null }
      );
    } else if (value) {
      // `mask = arr[i]` then `mask = mask * 255`: the view is gone;
      // `arr = arr[:, 1:]`: the name holds the only view of its old value
      const viewed = viewBase(value);
      const base = viewed === def.name ? null : viewed;
      for (const name of base
        ? [base, ...heldByNewObject(value)]
        : heldByNewObject(value)) {
        shared.push({ name, holder: def });
      }
    }
  }
  return shared;
});

/**
 * The names passed to a class being instantiated (`Dataset(df)`,
 * `DataLoader(ds)`, `Model(X, y)`): the new object usually keeps them, so
 * deleting the name alone frees nothing while the object lives.
 */
function heldByNewObject(value: SyntaxNode): string[] {
  if (value.type !== 'call') {
    return [];
  }
  const callee = calleeName(value)?.split('.').pop() ?? '';
  if (!/^[A-Z]/.test(callee)) {
    return [];
  }
  const { positional, keywords } = callArguments(value);
  return [...positional, ...keywords.values()]
    .filter(arg => arg.type === 'identifier')
    .map(arg => arg.text);
}

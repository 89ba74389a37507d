/**
 * Largeness through the notebook: replay the top-level bindings in order and
 * track which names hold values known to be large (ML201, ML202). Which
 * single expression is large is decided in `producers.ts`.
 */
import type { IBinding, INotebookDataflow } from '../types';
import { ILargeForm, largeForm } from './producers';

/** The largeness forms of a cell's bindings, computed once per cell. */
const forms = new WeakMap<readonly IBinding[], ILargeForm[]>();
const NEVER: ILargeForm = { always: false, names: [] };

function formsOf(defs: readonly IBinding[]): ILargeForm[] {
  let found = forms.get(defs);
  if (!found) {
    found = defs.map(def => (def.value ? largeForm(def.value) : NEVER));
    forms.set(defs, found);
  }
  return found;
}

/**
 * Replay the notebook's top-level bindings in order. `visitBinding` sees
 * every binding with its largeness at that point; `visitCell` sees, after
 * each code cell's bindings and deletes, the names bound to large producers
 * (a live set: read it during the call only). Returns the names bound to
 * large values at the end of the notebook.
 */
export function replayLarge(
  dataflow: INotebookDataflow,
  visitBinding?: (binding: IBinding, large: boolean) => void,
  visitCell?: (cell: number, large: ReadonlySet<string>) => void
): Set<string> {
  const large = new Set<string>();
  for (const cell of dataflow.cells) {
    const cellForms = formsOf(cell.defs);
    for (let i = 0; i < cell.defs.length; i++) {
      const binding = cell.defs[i];
      const form = cellForms[i];
      let isLarge = form.always;
      for (let n = 0; !isLarge && n < form.names.length; n++) {
        isLarge = large.has(form.names[n]);
      }
      if (isLarge) {
        large.add(binding.name);
      } else if (binding.kind !== 'augmented') {
        large.delete(binding.name);
      }
      visitBinding?.(binding, isLarge);
    }
    for (const gone of cell.deletes) {
      large.delete(gone.name);
    }
    if (cell.reset) {
      large.clear();
    }
    visitCell?.(cell.cell, large);
  }
  return large;
}

/** The largeness of every binding after one replay of a notebook. */
export interface ILargeness {
  /** Names bound to large values at the end of the notebook. */
  final: ReadonlySet<string>;
  /** Per cell position, 1 for each of its `defs` bound to a large value. */
  bindings: readonly Uint8Array[];
}

const replays = new WeakMap<INotebookDataflow, ILargeness>();

/** {@link replayLarge} once per notebook dataflow (shared by the rules of a run). */
export function largeness(dataflow: INotebookDataflow): ILargeness {
  let found = replays.get(dataflow);
  if (!found) {
    const bindings = dataflow.cells.map(
      cell => new Uint8Array(cell.defs.length)
    );
    let position = 0;
    let index = 0;
    const final = replayLarge(
      dataflow,
      (_, large) => {
        bindings[position][index++] = large ? 1 : 0;
      },
      () => {
        position++;
        index = 0;
      }
    );
    found = { final, bindings };
    replays.set(dataflow, found);
  }
  return found;
}

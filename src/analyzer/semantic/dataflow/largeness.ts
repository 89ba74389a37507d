/**
 * Largeness through the notebook: replay the top-level bindings in order and
 * track which names hold values known to be large (ML201, ML202). Which
 * single expression is large is decided in `producers.ts`.
 *
 * The replay is incremental: the state before each cell is kept, so after
 * an edit the replay starts at the first changed cell and stops as soon as
 * it reaches the unchanged cells after the edit in the state it had before.
 */
import type {
  IBinding,
  ICellDataflow,
  IFileWrite,
  INotebookDataflow
} from '../../types';
import { previousDataflow } from './index';
import { ILargeForm, largeForm } from './producers';
import { FILE_PREFIX, SOURCE_PREFIX, sourceOf, stringValue } from './sources';
import type { SyntaxNode } from '../../syntax/syntax';
import { savedSizes } from './saved-sizes';
import { SMALL_FILE_BYTES, smallFile } from './small-files';
import {
  boundBefore,
  definitionBefore,
  returnsFirstParameter
} from './own-functions';
import { folderOf, isListing } from './filled-from-files';
import { sliceBase } from './views';

/**
 * Pseudo-name for each function the notebook defines (the replay keeps
 * them; `largeName` answers them from the binding).
 */
export const DEF_PREFIX = '\0def:';

/**
 * Pseudo-names for each path the notebook wrote (`df.to_csv("out.csv")`),
 * by the largeness of what was written: reading it back gives that much.
 */
const WROTE_LARGE = '\0wrote-large:';
const WROTE_SMALL = '\0wrote-small:';

/**
 * What the replay needs of one binding, computed once per cell: its
 * largeness form and what a reader reading through the name would read
 * (a `SOURCE_PREFIX` entry: a file path, `'memory'` or `'unknown'`).
 */
interface IBindingForm extends ILargeForm {
  source: string;
}

const forms = new WeakMap<readonly IBinding[], IBindingForm[]>();

function formsOf(defs: readonly IBinding[]): IBindingForm[] {
  let found = forms.get(defs);
  if (!found) {
    found = defs.map(def => ({
      ...(!def.value
        ? { always: false, names: [] }
        : // `arr = arr[:, 13:114]`: the view keeps the whole value
          sliceBase(def.value) === def.name
          ? { always: false, names: [def.name] }
          : largeForm(def.value)),
      source: sourceOf(def.value)
    }));
    forms.set(defs, found);
  }
  return found;
}

/**
 * True when a name a form asks about is large: a variable (or a reader's
 * source variable) in `large`, or a file not known to be small.
 */
function askLarge(
  name: string,
  large: ReadonlySet<string>,
  dataflow: INotebookDataflow
): boolean {
  if (name.startsWith(FILE_PREFIX)) {
    const path = name.slice(FILE_PREFIX.length);
    return large.has(WROTE_LARGE + path)
      ? true
      : !large.has(WROTE_SMALL + path) && !smallFile(path, dataflow);
  }
  return large.has(name);
}

/** Record that the notebook wrote `write.value` to `write.path`. */
function replayWrite(
  write: IFileWrite,
  large: Set<string>,
  dataflow: INotebookDataflow
): void {
  const form =
    write.value.type === 'identifier'
      ? { always: false, names: [write.value.text] }
      : largeForm(write.value);
  const isLarge =
    form.always || form.names.some(n => askLarge(n, large, dataflow));
  large.delete(isLarge ? WROTE_SMALL + write.path : WROTE_LARGE + write.path);
  large.add((isLarge ? WROTE_LARGE : WROTE_SMALL) + write.path);
}

/**
 * True when a reader given a variable bound by `binding` reads something
 * that may be large: not text in memory, not a small file (unbound: no).
 */
export function largeSourceBinding(
  binding: IBinding | null,
  dataflow: INotebookDataflow
): boolean {
  if (!binding) {
    return false;
  }
  const source = sourceOf(binding.value);
  return (
    source !== 'memory' &&
    !(
      source.startsWith(FILE_PREFIX) &&
      smallFile(source.slice(FILE_PREFIX.length), dataflow)
    )
  );
}

/**
 * Whether a name a largeness form asks about is large, given a lookup of
 * variables' largeness: files by their size, a reader's source variable by
 * its binding (`bindingOf`), variables by `isLargeVariable`.
 */
export function largeName(
  name: string,
  dataflow: INotebookDataflow,
  isLargeVariable: (name: string) => boolean,
  bindingOf: (name: string) => IBinding | null
): boolean {
  if (name.startsWith(FILE_PREFIX)) {
    return !smallFile(name.slice(FILE_PREFIX.length), dataflow);
  }
  if (name.startsWith(DEF_PREFIX)) {
    return bindingOf(name.slice(DEF_PREFIX.length))?.kind === 'def';
  }
  if (name.startsWith(SOURCE_PREFIX)) {
    return largeSourceBinding(
      bindingOf(name.slice(SOURCE_PREFIX.length)),
      dataflow
    );
  }
  return isLargeVariable(name);
}

/**
 * True when `source` is a path literal to a file known to be small: small on
 * disk, or written earlier by the notebook (before the cell at `position`)
 * with a small value.
 */
export function readsSmallFile(
  source: SyntaxNode | undefined,
  dataflow: INotebookDataflow,
  position = -1
): boolean {
  const path = source ? stringValue(source) : null;
  if (path === null) {
    return false;
  }
  const before = position >= 0 ? largeness(dataflow).before[position] : null;
  return before?.has(WROTE_SMALL + path) || smallFile(path, dataflow);
}

/** The largeness of every binding after one replay of a notebook. */
export interface ILargeness {
  /** Names bound to large values before the cell at each position. */
  before: readonly ReadonlySet<string>[];
  /**
   * Names bound to large values at the end of the notebook (and pseudo-names
   * starting with `\0` that the replay keeps for itself: skip them).
   */
  final: ReadonlySet<string>;
  /** Per cell position, 1 for each of its `defs` bound to a large value. */
  bindings: readonly Uint8Array[];
}

/** A replay with the state before each cell, to start the next one from. */
interface IReplay extends ILargeness {
  dataflow: INotebookDataflow;
  before: ReadonlySet<string>[];
}

/**
 * Replay one cell: its bindings (in order), then its deletes. Updates
 * `large` in place and returns the largeness of each binding.
 */
function replayCell(
  position: number,
  large: Set<string>,
  dataflow: INotebookDataflow
): Uint8Array {
  const cell = dataflow.cells[position];
  const cellForms = formsOf(cell.defs);
  const bindings = new Uint8Array(cell.defs.length);
  const seen = savedSizes(dataflow);
  const writes = cell.writes ?? [];
  let written = 0;
  for (let i = 0; i < cell.defs.length; i++) {
    const binding = cell.defs[i];
    const start = (binding.value ?? binding.statement).startIndex;
    for (; written < writes.length && writes[written].at < start; written++) {
      replayWrite(writes[written], large, dataflow);
    }
    const form = cellForms[i];
    let isLarge = form.always;
    for (let n = 0; !isLarge && n < form.names.length; n++) {
      isLarge = askLarge(form.names[n], large, dataflow);
    }
    // a call of a function the notebook defines is its own, not a load;
    // one that returns its argument (`df = reduce_mem_usage(df)`) gives
    // back what it was given
    if (form.callee && large.has(DEF_PREFIX + form.callee)) {
      const def = definitionBefore(dataflow, form.callee, position, i);
      isLarge =
        !!form.argument &&
        !!def &&
        returnsFirstParameter(def.statement) &&
        askLarge(form.argument, large, dataflow);
    }
    // the notebook's own outputs showed it small (`df.shape`, `df.info()`)
    if (isLarge && seen.size > 0) {
      const shown = seen.get(`${position}|${binding.name}`);
      isLarge = shown === undefined || shown > SMALL_FILE_BYTES;
    }
    if (isLarge) {
      large.add(binding.name);
    } else if (binding.kind !== 'augmented') {
      large.delete(binding.name);
    }
    if (binding.kind === 'def') {
      large.add(DEF_PREFIX + binding.name);
    } else if (binding.kind !== 'augmented') {
      large.delete(DEF_PREFIX + binding.name);
    }
    // a reader given this name reads a file that may be large, unless
    // the name holds text in memory or a path to a small file
    const source = SOURCE_PREFIX + binding.name;
    if (
      binding.kind !== 'augmented' &&
      (form.source === 'memory' ||
        ((form.source.startsWith(FILE_PREFIX) ||
          form.source.startsWith(SOURCE_PREFIX)) &&
          !askLarge(form.source, large, dataflow)))
    ) {
      large.delete(source);
    } else if (binding.kind !== 'augmented') {
      large.add(source);
    }
    bindings[i] = isLarge ? 1 : 0;
  }
  for (; written < writes.length; written++) {
    replayWrite(writes[written], large, dataflow);
  }
  // a collection filled file by file holds the dataset (unless the folder
  // listed is known to be small): its last binding in the cell is large
  for (const { name, folder: spelled, listing } of cell.filled ?? []) {
    // a loop over a name an earlier cell bound: a listing of which folder?
    const listed =
      listing === undefined
        ? undefined
        : (boundBefore(dataflow, listing, position)?.value ?? null);
    if (listed !== undefined && !isListing(listed)) {
      continue;
    }
    const folder = listed ? folderOf(listed) : spelled;
    if (folder !== null && smallFile(folder, dataflow)) {
      continue;
    }
    let last = cell.defs.length - 1;
    while (
      last >= 0 &&
      (cell.defs[last].name !== name || cell.defs[last].kind === 'augmented')
    ) {
      last--;
    }
    if (last >= 0) {
      bindings[last] = 1;
      large.add(name);
    }
  }
  for (const gone of cell.deletes) {
    large.delete(gone.name);
    large.delete(SOURCE_PREFIX + gone.name);
  }
  if (cell.reset) {
    large.clear();
  }
  return bindings;
}

/** The same cell dataflow (cells are re-analyzed into new objects). */
function sameCell(a: ICellDataflow, b: ICellDataflow): boolean {
  return (
    a.defs === b.defs &&
    a.deletes === b.deletes &&
    a.reset === b.reset &&
    a.writes === b.writes &&
    a.filled === b.filled
  );
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) {
    return false;
  }
  for (const name of a) {
    if (!b.has(name)) {
      return false;
    }
  }
  return true;
}

/**
 * Replay `dataflow`, reusing `old` (the replay of the notebook before an
 * edit) for the unchanged cells before the edit and, once the state
 * agrees again, after it.
 */
function replay(dataflow: INotebookDataflow, old: IReplay | null): IReplay {
  const cells = dataflow.cells;
  const oldCells = old?.dataflow.cells ?? [];
  let prefix = 0;
  while (
    prefix < cells.length &&
    prefix < oldCells.length &&
    sameCell(cells[prefix], oldCells[prefix])
  ) {
    prefix++;
  }
  let suffix = 0;
  while (
    suffix < cells.length - prefix &&
    suffix < oldCells.length - prefix &&
    sameCell(
      cells[cells.length - 1 - suffix],
      oldCells[oldCells.length - 1 - suffix]
    )
  ) {
    suffix++;
  }
  const bindings: Uint8Array[] = old ? old.bindings.slice(0, prefix) : [];
  const before: ReadonlySet<string>[] = old ? old.before.slice(0, prefix) : [];
  const large = new Set(
    old && prefix < old.before.length
      ? old.before[prefix]
      : prefix > 0
        ? old!.final
        : []
  );
  const shift = oldCells.length - cells.length;
  for (let p = prefix; p < cells.length; p++) {
    const oldPosition = p + shift;
    if (
      old &&
      p >= cells.length - suffix &&
      sameSet(large, old.before[oldPosition])
    ) {
      // the rest is the same cells from the same state: the same replay
      bindings.push(...old.bindings.slice(oldPosition));
      before.push(...old.before.slice(oldPosition));
      return { dataflow, bindings, before, final: old.final };
    }
    before.push(new Set(large));
    bindings.push(replayCell(p, large, dataflow));
  }
  return { dataflow, bindings, before, final: large };
}

const replays = new WeakMap<INotebookDataflow, IReplay>();

/**
 * The largeness of every binding of `dataflow` (computed once per notebook
 * dataflow, shared by the rules of a run, and incrementally from the
 * replay of the dataflow before the edit).
 */
export function largeness(dataflow: INotebookDataflow): ILargeness {
  let found = replays.get(dataflow);
  if (!found) {
    const previous = previousDataflow(dataflow);
    found = replay(dataflow, (previous && replays.get(previous)) ?? null);
    replays.set(dataflow, found);
  }
  return found;
}

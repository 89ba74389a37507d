/**
 * ML702: a top-level list/dict/set that a function defined in the notebook
 * grows on every call: it only ever gets bigger while the kernel lives.
 */
import type { Node } from 'web-tree-sitter';
import { calleeName, nodeAt, nodeRange } from '../ast';
import type {
  IBinding,
  INotebookRule,
  IParsedCell,
  IReference
} from '../types';
import { nameGroups, namePositions } from '../dataflow/by-name';
import { perCell, perObject } from './util/cell-cache';

const GROWERS = new Set([
  'append',
  'extend',
  'insert',
  'add',
  'update',
  'setdefault',
  '__setitem__'
]);
const CLEARERS = new Set(['clear', 'pop', 'popitem', 'remove', 'discard']);
const CONTAINER_CALLS = new Set([
  'list',
  'dict',
  'set',
  'defaultdict',
  'collections.defaultdict',
  'OrderedDict',
  'collections.OrderedDict'
]);

/** ML702: an unbounded container grown from inside a function. */
export const ML702: INotebookRule = {
  id: 'ML702',
  name: 'global-accumulator',
  title: 'Global container grown by a function',
  severity: 'info',
  scope: 'notebook',
  docs: {
    why: 'A module-level list or dict that a function appends to keeps every item of every call (and of every re-run of the cells calling it) alive until the kernel restarts.',
    whatToDo:
      'Return results from the function and collect them where they are used, clear the container at the start of each run, or bound it with `collections.deque(maxlen=...)`.',
    bad: 'history = []\n\ndef train_step(batch):\n    out = model(batch)\n    history.append(out)\n    return out',
    good: 'from collections import deque\nhistory = deque(maxlen=100)\n\ndef train_step(batch):\n    out = model(batch)\n    history.append(out)\n    return out'
  },
  check({ cells, dataflow, report }) {
    const byIndex = new Map(cells.map(cell => [cell.index, cell]));
    const containers = new Set<string>();
    const other = new Set<string>();
    for (const flow of dataflow.cells) {
      const kinds = bindingKinds(flow.defs);
      kinds.containers.forEach(name => containers.add(name));
      kinds.other.forEach(name => other.add(name));
    }
    const growths: {
      position: number;
      index: number;
      cell: number;
      node: Node;
      name: string;
    }[] = [];
    // Functions that rebind the name (`global name; name = []`) reset it.
    const cleared = new Set<string>();
    for (const cell of cells) {
      for (const name of globalNames(cell)) {
        cleared.add(name);
      }
    }
    const positions = namePositions(dataflow);
    for (const name of containers) {
      if (other.has(name)) {
        continue;
      }
      for (const position of positions.get(name) ?? []) {
        const flow = dataflow.cells[position];
        const cell = byIndex.get(flow.cell);
        const group = nameGroups(flow).get(name)!;
        group.refs.forEach((ref, i) => {
          if (!cell) {
            return;
          }
          const use = classified(cell, ref);
          if (use === 'clear') {
            cleared.add(ref.name);
          } else if (use && ref.inFunction !== null) {
            growths.push({
              position,
              index: group.refIndices[i],
              cell: flow.cell,
              node: use,
              name: ref.name
            });
          }
        });
      }
    }
    growths.sort((a, b) => a.position - b.position || a.index - b.index);
    const seen = new Set<string>();
    for (const growth of growths) {
      if (cleared.has(growth.name) || seen.has(growth.name)) {
        continue;
      }
      seen.add(growth.name);
      report(growth.cell, {
        ...nodeRange(growth.node),
        message: `\`${growth.node.text.split('\n')[0]}\` grows the global \`${growth.name}\` on every call; it is never cleared.`,
        fix: null
      });
    }
  }
};

/** The names a cell binds to unbounded containers, and to anything else. */
const bindingKinds = perObject((defs: readonly IBinding[]) => {
  const kinds = { containers: [] as string[], other: [] as string[] };
  for (const def of defs) {
    if (def.value && isUnboundedContainer(def.value)) {
      kinds.containers.push(def.name);
    } else if (def.kind !== 'augmented') {
      kinds.other.push(def.name);
    }
  }
  return kinds;
});

/** Names declared `global` anywhere in a cell. */
const globalNames = perCell(cell => {
  const names: string[] = [];
  for (const statement of cell.root.descendantsOfType('global_statement')) {
    for (const name of statement?.namedChildren ?? []) {
      names.push(name?.text ?? '');
    }
  }
  return names;
});

/** {@link classify} of a read, once per read. */
function classified(cell: IParsedCell, ref: IReference): Node | 'clear' | null {
  let known = classes.get(ref);
  if (known === undefined) {
    known = classify(cell, ref.range);
    classes.set(ref, known);
  }
  return known;
}

const classes = new WeakMap<IReference, Node | 'clear' | null>();

/** `[]`, `{}`, `set()`, `list()`, `defaultdict(list)`... (not a deque). */
function isUnboundedContainer(value: Node): boolean {
  if (value.type === 'list' || value.type === 'dictionary') {
    return true;
  }
  if (value.type === 'call') {
    const name = calleeName(value);
    const args = value.childForFieldName('arguments');
    return (
      name !== null &&
      CONTAINER_CALLS.has(name) &&
      (name.endsWith('defaultdict') || (args?.namedChildCount ?? 0) === 0)
    );
  }
  return false;
}

/** The growing statement/call for a use of the container, `clear`, or null. */
function classify(
  cell: IParsedCell,
  range: { line: number; column: number; endLine: number; endColumn: number }
): Node | 'clear' | null {
  const name = nodeAt(cell.root, range);
  const parent = name?.parent;
  if (!name || !parent) {
    return null;
  }
  if (
    parent.type === 'attribute' &&
    parent.childForFieldName('object')?.id === name.id
  ) {
    const method = parent.childForFieldName('attribute')?.text ?? '';
    const call = parent.parent;
    if (call?.type !== 'call') {
      return null;
    }
    if (CLEARERS.has(method)) {
      return 'clear';
    }
    return GROWERS.has(method) ? call : null;
  }
  if (
    parent.type === 'subscript' &&
    parent.childForFieldName('value')?.id === name.id
  ) {
    const assignment = parent.parent;
    const isTarget =
      (assignment?.type === 'assignment' ||
        assignment?.type === 'augmented_assignment') &&
      assignment.childForFieldName('left')?.id === parent.id;
    if (isTarget && assignment.type === 'assignment') {
      return assignment;
    }
    if (
      parent.parent?.type === 'delete_statement' ||
      parent.parent?.parent?.type === 'delete_statement'
    ) {
      return 'clear';
    }
  }
  return null;
}

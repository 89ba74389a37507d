/**
 * ML702: a top-level list/dict/set that a function defined in the notebook
 * grows on every call: it only ever gets bigger while the kernel lives.
 */
import type { Node } from 'web-tree-sitter';
import { calleeName, nodeAt, nodeRange } from '../ast';
import type { IBinding, INotebookRule, IParsedCell } from '../types';

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
      for (const def of flow.defs) {
        if (def.value && container(def)) {
          containers.add(def.name);
        } else if (def.kind !== 'augmented') {
          other.add(def.name);
        }
      }
    }
    const growths: { cell: number; node: Node; name: string }[] = [];
    // Functions that rebind the name (`global name; name = []`) reset it.
    const cleared = new Set<string>();
    for (const cell of cells) {
      for (const statement of cell.root.descendantsOfType('global_statement')) {
        for (const name of statement?.namedChildren ?? []) {
          cleared.add(name?.text ?? '');
        }
      }
    }
    for (const flow of dataflow.cells) {
      const cell = byIndex.get(flow.cell);
      for (const ref of flow.refs) {
        if (!cell || !containers.has(ref.name) || other.has(ref.name)) {
          continue;
        }
        const use = classify(cell, ref.range);
        if (use === 'clear') {
          cleared.add(ref.name);
        } else if (use && ref.inFunction !== null) {
          growths.push({ cell: flow.cell, node: use, name: ref.name });
        }
      }
    }
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

const containers = new WeakMap<IBinding, boolean>();

function container(binding: IBinding): boolean {
  let known = containers.get(binding);
  if (known === undefined) {
    known = binding.value !== null && isUnboundedContainer(binding.value);
    containers.set(binding, known);
  }
  return known;
}

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

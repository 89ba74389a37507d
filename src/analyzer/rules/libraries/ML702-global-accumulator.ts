/**
 * ML702: a top-level list/dict/set that a function defined in the notebook
 * grows on every call: it only ever gets bigger while the kernel lives.
 */
import { cellByIndex } from '../../semantic/dataflow';
import type { SyntaxNode } from '../../syntax/syntax';
import { calleeName, nodeAt, nodeRange } from '../../syntax/tree';
import type {
  IBinding,
  INotebookDataflow,
  INotebookRule,
  IParsedCell,
  IReport
} from '../../types';
import {
  INameGroup,
  nameGroups,
  namePositions,
  perName
} from '../../semantic/dataflow/by-name';
import { perCell, perObject } from '../helpers/cell-cache';

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
    why: 'A module-level list or dict that a function appends to keeps every item of every call (and of every re-run of the cells calling it) alive until the kernel restarts. Not flagged: a container made fresh in the cell that then calls the function (a traversal\'s `visited = set()` right before `walk(root)`), which holds one run\'s items, and a log of messages (every call adds a string literal or f-string: `log(f"fold {k} done")`).',
    whatToDo:
      'Return results from the function and collect them where they are used, clear the container at the start of each run, or bound it with `collections.deque(maxlen=...)`.',
    bad: 'history = []\n\ndef train_step(batch):\n    out = model(batch)\n    history.append(out)\n    return out',
    good: 'from collections import deque\nhistory = deque(maxlen=100)\n\ndef train_step(batch):\n    out = model(batch)\n    history.append(out)\n    return out'
  },
  check({ cells, dataflow, report }) {
    const containers = new Set<string>();
    for (const flow of dataflow.cells) {
      bindingKinds(flow.defs).containers.forEach(name => containers.add(name));
    }
    // Functions that rebind the name (`global name; name = []`) reset it.
    const cleared = new Set<string>();
    for (const cell of cells) {
      for (const name of globalNames(cell)) {
        cleared.add(name);
      }
    }
    const growths: IGrowth[] = [];
    for (const name of containers) {
      const accumulator = accumulatorOf(dataflow, name, cells);
      if (accumulator.clears) {
        cleared.add(name);
      }
      growths.push(...accumulator.growths);
    }
    growths.sort((a, b) => a.position - b.position || a.index - b.index);
    const seen = new Set<string>();
    for (const growth of growths) {
      if (
        cleared.has(growth.name) ||
        seen.has(growth.name) ||
        freshForEachCall(dataflow, growth.name, growth.inFunction) ||
        addsText(growth, cells)
      ) {
        continue;
      }
      seen.add(growth.name);
      growth.report ??= {
        ...nodeRange(growth.node),
        message: `\`${growth.node.text.split('\n')[0]}\` grows the global \`${growth.name}\` on every call; it is never cleared.`,
        fix: null
      };
      report(growth.cell, growth.report);
    }
  }
};

/**
 * True when what each call adds is a line of text: a string literal or
 * f-string, or a parameter every call passes one for (`log(f"fold {k}
 * done")`). A log of messages grows by bytes per call, not by data.
 */
function addsText(growth: IGrowth, cells: readonly IParsedCell[]): boolean {
  const call = growth.node.type === 'call' ? growth.node : null;
  const args = call?.childForFieldName('arguments')?.namedChildren ?? [];
  const added = args[args.length - 1];
  if (!added || args.length > 2) {
    return false;
  }
  if (isText(added)) {
    return true;
  }
  let fn: SyntaxNode | null = call;
  while (fn && fn.type !== 'function_definition') {
    fn = fn.parent;
  }
  const params = fn?.childForFieldName('parameters')?.namedChildren ?? [];
  const at = params.findIndex(p => p.text === added.text);
  if (added.type !== 'identifier' || at < 0) {
    return false;
  }
  let calls = 0;
  for (const cell of cells) {
    for (const use of cell.root.descendantsOfType('call')) {
      if (calleeName(use) !== growth.inFunction) {
        continue;
      }
      calls++;
      const given = use.childForFieldName('arguments')?.namedChildren ?? [];
      const passed =
        given
          .find(
            g =>
              g.type === 'keyword_argument' &&
              g.childForFieldName('name')?.text === added.text
          )
          ?.childForFieldName('value') ?? given[at];
      if (!passed || !isText(passed)) {
        return false;
      }
    }
  }
  return calls > 0;
}

/** A string literal, f-string or concatenation of them. */
function isText(node: SyntaxNode): boolean {
  return node.type === 'string' || node.type === 'concatenated_string';
}

/**
 * True when every use of `fn` outside its own body is in a cell that first
 * makes `name` a fresh container (`visited = set()` then `walk(root)`): each
 * run of that cell starts empty, so the container holds one run's items,
 * not every call's. A use elsewhere (another cell, another function, `fn`
 * passed on as a callback) keeps the finding.
 */
function freshForEachCall(
  dataflow: INotebookDataflow,
  name: string,
  fn: string
): boolean {
  let uses = 0;
  for (const position of namePositions(dataflow).get(fn) ?? []) {
    const flow = dataflow.cells[position];
    const group = nameGroups(flow).get(fn)!;
    const fresh = nameGroups(flow)
      .get(name)
      ?.defs.filter(def => def.value && isUnboundedContainer(def.value));
    for (const ref of group.refs) {
      if (ref.inFunction === fn) {
        continue; // recursion
      }
      uses++;
      const before = (fresh ?? []).some(
        def => def.statement.endIndex <= ref.statement.startIndex
      );
      if (ref.inFunction !== null || !before) {
        return false;
      }
    }
  }
  return uses > 0;
}

/** A call or statement in a function body that grows a global container. */
interface IGrowth {
  name: string;
  /** Dataflow position of its cell, and index of the read among the cell's. */
  position: number;
  index: number;
  cell: number;
  node: SyntaxNode;
  /** The function (defined in the notebook) whose body grows it. */
  inFunction: string;
  /** The finding's report, once made. */
  report?: IReport;
}

/**
 * How the cells that mention a container name use it: cleared somewhere,
 * and its growths in function bodies (none when the name is also bound to
 * something else: then it is not an accumulator). Kept between runs.
 */
const accumulatorOf = perName(
  (
    dataflow,
    name,
    positions,
    cells
  ): { clears: boolean; growths: IGrowth[] } => {
    const none = { clears: false, growths: [] };
    const groups = positions.map(p => nameGroups(dataflow.cells[p]).get(name)!);
    if (groups.some(group => bindingKinds(group.defs).other.length > 0)) {
      return none;
    }
    let clears = false;
    const growths: IGrowth[] = [];
    positions.forEach((position, i) => {
      const flow = dataflow.cells[position];
      const cell = cellByIndex(cells, flow.cell);
      if (!cell) {
        return;
      }
      const uses = usesOf(cell, groups[i]);
      clears ||= uses.clears;
      for (const { index, node, inFunction } of uses.growths) {
        growths.push({
          name,
          position,
          index,
          cell: flow.cell,
          node,
          inFunction
        });
      }
    });
    return { clears, growths };
  }
);

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

/** How one cell's reads of a name clear or grow it. */
interface IUses {
  clears: boolean;
  /** Growing calls/statements in function bodies, with the read's index. */
  growths: { index: number; node: SyntaxNode; inFunction: string }[];
}

/** {@link classify} of a name's reads in one cell, once per cell. */
function usesOf(cell: IParsedCell, group: INameGroup): IUses {
  let uses = usesCache.get(group);
  if (!uses) {
    uses = { clears: false, growths: [] };
    for (let i = 0; i < group.refs.length; i++) {
      const ref = group.refs[i];
      const use = classify(cell, ref.range);
      if (use === 'clear') {
        uses.clears = true;
      } else if (use && ref.inFunction !== null) {
        uses.growths.push({
          index: group.refIndices[i],
          node: use,
          inFunction: ref.inFunction
        });
      }
    }
    usesCache.set(group, uses);
  }
  return uses;
}

const usesCache = new WeakMap<INameGroup, IUses>();

/** `[]`, `{}`, `set()`, `list()`, `defaultdict(list)`... (not a deque). */
function isUnboundedContainer(value: SyntaxNode): boolean {
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
): SyntaxNode | 'clear' | null {
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

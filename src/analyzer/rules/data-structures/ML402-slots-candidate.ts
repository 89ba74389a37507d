/**
 * ML402: a class with a fixed set of instance attributes, created in a loop
 * or comprehension, that keeps a per-instance `__dict__`. `__slots__` (or
 * `@dataclass(slots=True)`) stores the attributes inline instead.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { cellByIndex } from '../../semantic/dataflow';
import { namePositions } from '../../semantic/dataflow/by-name';
import type {
  INotebookDataflow,
  INotebookRule,
  IParsedCell,
  IRange,
  IReport
} from '../../types';
import { cellCalls } from '../helpers/calls';
import { perCell, perObject } from '../helpers/cell-cache';
import {
  candidatesIn,
  flattenTargets,
  ICandidate,
  slotsFix,
  slotsTuple
} from './slots';
import { dottedName, nodeRange } from '../../syntax/tree';
import { boundIdentifiers, enclosingLoop } from '../../semantic/scopes';
import { runsFewTimes } from '../../semantic/loop-count';

/** ML402: a class that would benefit from `__slots__`. */
export const ML402: INotebookRule = {
  id: 'ML402',
  name: 'slots-candidate',
  title: 'Class created in a loop could use __slots__',
  severity: 'info',
  scope: 'notebook',
  docs: {
    why: "Every instance of an ordinary class carries its own `__dict__` (around 100+ bytes even for two attributes). For classes created by the thousand in a loop, `__slots__` stores the attributes in fixed fields and typically halves the memory per instance. Not flagged: classes created a few times, in a loop over a short literal or `range(<small number>)` (a network's layers, a handful of config objects); with a kernel, LV107 reports classes with many live instances.",
    whatToDo:
      'Declare the attributes: `__slots__ = ("x", "y")` as the first statement of the class, or use `@dataclass(slots=True)` (Python 3.10+).',
    bad: 'class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n\npoints = [Point(i, i * 2) for i in range(1_000_000)]',
    good: 'class Point:\n    __slots__ = ("x", "y")\n\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n\npoints = [Point(i, i * 2) for i in range(1_000_000)]'
  },
  check({ cells, dataflow, report }) {
    const candidates: { cell: IParsedCell; candidate: ICandidate }[] = [];
    let weakrefs = false;
    for (const cell of cells) {
      const facts = factsOf(cell);
      weakrefs ||= facts.weakref;
      for (const candidate of facts.candidates) {
        candidates.push({ cell, candidate });
      }
    }
    if (candidates.length === 0) {
      return;
    }
    const names = new Set(candidates.map(c => c.candidate.name));
    // A cell that calls or instantiates a class reads its global name: the
    // name index lists the cells to look at.
    const mentioning = cellsMentioning(cells, dataflow);
    const callers = new Map<string, IParsedCell[]>();
    for (const name of names) {
      callers.set(
        name,
        mentioning(name).filter(cell => factsOf(cell).calls.has(name))
      );
    }
    const setters = attributeSetters(mentioning, names);
    for (const { cell, candidate } of candidates) {
      const loopCall = instantiationInLoop(
        candidate.name,
        callers.get(candidate.name) ?? []
      );
      if (!loopCall || setsOtherAttributes(candidate, setters)) {
        continue;
      }
      const where = `cell ${loopCall.cell.index + 1}, line ${startRow(loopCall.call) + 1}`;
      // the same class, loop and cell as in the last run: the same report
      const key = `${cell.index}|${where}|${weakrefs}`;
      let known = reports.get(candidate);
      if (known?.key !== key) {
        known = { key, report: slotsReport(cell, candidate, where, weakrefs) };
        reports.set(candidate, known);
      }
      report(cell.index, known.report);
    }
  }
};

/** The last report on each candidate class and what it was made from. */
const reports = new WeakMap<ICandidate, { key: string; report: IReport }>();

/** The report on a class created in a loop at `where`. */
function slotsReport(
  cell: IParsedCell,
  candidate: ICandidate,
  where: string,
  weakrefs: boolean
): IReport {
  const { name, attributes } = candidate;
  const slots = slotsTuple(attributes);
  const fix = weakrefs ? null : slotsFixOf(candidate);
  return {
    ...headerOf(candidate),
    message: candidate.dataclass
      ? `Dataclass \`${name}\` is created in a loop (${where}) and keeps a \`__dict__\` per instance; use \`@dataclass(slots=True)\`.`
      : `Class \`${name}\` is created in a loop (${where}) and keeps a \`__dict__\` per instance for its fixed attributes ${attributes.map(a => `\`${a}\``).join(', ')}; add \`__slots__ = ${slots}\`.`,
    fix: fix && {
      description: fix.description,
      edits: fix.edits.map(edit => ({ cell: cell.index, ...edit }))
    }
  };
}

/** Where a finding on the class goes: `class Name` (once per class). */
const headerOf = perObject((candidate: ICandidate): IRange => {
  const nameNode = candidate.cls.childForFieldName('name')!;
  return {
    ...nodeRange(candidate.cls),
    endLine: nameNode.endPosition.row,
    endColumn: nameNode.endPosition.column
  };
});

const startRow = perObject((node: SyntaxNode) => node.startPosition.row);

/** What ML402 needs from one cell, computed once per parsed cell. */
interface ICellFacts {
  /** Top-level classes with a fixed attribute set and no slots. */
  candidates: ICandidate[];
  /** The cell mentions `weakref`. */
  weakref: boolean;
  /** Calls of a bare name (`Point(...)`), by name, in source order. */
  calls: Map<string, SyntaxNode[]>;
  /** First call of each name that runs in a loop (filled lazily). */
  loopCalls: Map<string, SyntaxNode | null>;
  /** Names bound by `x = Name(...)` anywhere in the cell, by `Name`. */
  instances: Map<string, string[]>;
  /** `obj.attr` assignment targets anywhere in the cell: `obj` → attrs. */
  setAttributes: Map<string, string[]>;
}

const slotsFixOf = perObject(slotsFix);

const factsOf = perCell((cell): ICellFacts => {
  const calls = new Map<string, SyntaxNode[]>();
  for (const { call, dotted } of cellCalls(cell)) {
    if (dotted !== null && !dotted.includes('.')) {
      push(calls, dotted, call);
    }
  }
  const instances = new Map<string, string[]>();
  const setAttributes = new Map<string, string[]>();
  for (const assignment of cell.root.descendantsOfType([
    'assignment',
    'augmented_assignment'
  ])) {
    const left = assignment.childForFieldName('left');
    if (assignment.type === 'assignment') {
      const right = assignment.childForFieldName('right');
      const fn =
        right?.type === 'call' ? right.childForFieldName('function') : null;
      const name = dottedName(fn);
      if (name) {
        for (const id of boundIdentifiers(left)) {
          push(instances, name, id.text);
        }
      }
    }
    for (const target of flattenTargets(left)) {
      if (target.type === 'attribute') {
        push(
          setAttributes,
          target.childForFieldName('object')?.text ?? '',
          target.childForFieldName('attribute')!.text
        );
      }
    }
  }
  return {
    candidates: candidatesIn(cell),
    weakref: cell.source.includes('weakref'),
    calls,
    loopCalls: new Map(),
    instances,
    setAttributes
  };
});

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

/** The first `Name(...)` call inside a loop or comprehension, if any. */
function instantiationInLoop(
  name: string,
  cells: readonly IParsedCell[]
): { cell: IParsedCell; call: SyntaxNode } | null {
  for (const cell of cells) {
    const facts = factsOf(cell);
    const calls = facts.calls.get(name);
    if (!calls) {
      continue;
    }
    let call = facts.loopCalls.get(name);
    if (call === undefined) {
      // a loop over a few known items (`for size in [784, 30, 10]`) makes
      // a few instances: the per-instance saving needs many
      call =
        calls.find(
          c =>
            enclosingLoop(c, { comprehensions: true }) &&
            !runsFewTimes(c, null, true)
        ) ?? null;
      facts.loopCalls.set(name, call);
    }
    if (call) {
      return { cell, call };
    }
  }
  return null;
}

/** The parsed cells that bind, read or delete a name, in notebook order. */
function cellsMentioning(
  cells: readonly IParsedCell[],
  dataflow: INotebookDataflow
): (name: string) => IParsedCell[] {
  const positions = namePositions(dataflow);
  return name => {
    const found: IParsedCell[] = [];
    for (const position of positions.get(name) ?? []) {
      const cell = cellByIndex(cells, dataflow.cells[position].cell);
      if (cell) {
        found.push(cell);
      }
    }
    return found;
  };
}

/** Notebook-wide: instance names by class, set attributes by object. */
interface ISetters {
  instances: Map<string, Set<string>>;
  setAttributes: Map<string, Set<string>>;
}

function attributeSetters(
  mentioning: (name: string) => IParsedCell[],
  classes: ReadonlySet<string>
): ISetters {
  const setters: ISetters = { instances: new Map(), setAttributes: new Map() };
  const instances = new Set<string>();
  const merge = (
    into: Map<string, Set<string>>,
    from: Map<string, string[]>,
    keep: ReadonlySet<string>
  ) =>
    from.forEach((values, key) => {
      if (keep.has(key)) {
        const set = into.get(key) ?? new Set<string>();
        values.forEach(v => set.add(v));
        into.set(key, set);
      }
    });
  const classCells = new Set([...classes].flatMap(mentioning));
  for (const cell of classCells) {
    merge(setters.instances, factsOf(cell).instances, classes);
  }
  setters.instances.forEach(names => names.forEach(n => instances.add(n)));
  // an instance's attributes are set where the (global) instance name is
  // read, or next to a local instance, in a cell that mentions the class
  const instanceCells = new Set([
    ...classCells,
    ...[...instances].flatMap(mentioning)
  ]);
  for (const cell of instanceCells) {
    merge(setters.setAttributes, factsOf(cell).setAttributes, instances);
  }
  return setters;
}

/** Some cell sets a new attribute on an instance: `p = Point(); p.z = 1`. */
function setsOtherAttributes(
  candidate: ICandidate,
  setters: ISetters
): boolean {
  for (const instance of setters.instances.get(candidate.name) ?? []) {
    for (const attribute of setters.setAttributes.get(instance) ?? []) {
      if (!candidate.attributes.includes(attribute)) {
        return true;
      }
    }
  }
  return false;
}

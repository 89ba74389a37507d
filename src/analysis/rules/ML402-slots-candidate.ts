/**
 * ML402: a class with a fixed set of instance attributes, created in a loop
 * or comprehension, that keeps a per-instance `__dict__`. `__slots__` (or
 * `@dataclass(slots=True)`) stores the attributes inline instead.
 */
import type { Node } from 'web-tree-sitter';
import type { IFix, INotebookRule, IParsedCell } from '../types';
import {
  boundIdentifiers,
  decoratorName,
  decoratorsOf,
  dottedName,
  enclosingLoop,
  instanceParameter,
  nodeRange
} from './util/tree';

/** A top-level class of the notebook that may take `__slots__`. */
interface ICandidate {
  cell: IParsedCell;
  cls: Node;
  name: string;
  /** Instance attributes in first-assignment order. */
  attributes: string[];
  /** The `@dataclass` decorator, when it is a dataclass. */
  dataclass: Node | null;
  /** Class-level names (class variables, methods). */
  classNames: Set<string>;
}

/** ML402: a class that would benefit from `__slots__`. */
export const ML402: INotebookRule = {
  id: 'ML402',
  name: 'slots-candidate',
  title: 'Class created in a loop could use __slots__',
  severity: 'info',
  scope: 'notebook',
  docs: {
    why: 'Every instance of an ordinary class carries its own `__dict__` (around 100+ bytes even for two attributes). For classes created by the thousand in a loop, `__slots__` stores the attributes in fixed fields and typically halves the memory per instance.',
    whatToDo:
      'Declare the attributes: `__slots__ = ("x", "y")` as the first statement of the class, or use `@dataclass(slots=True)` (Python 3.10+).',
    bad: 'class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n\npoints = [Point(i, i * 2) for i in range(1_000_000)]',
    good: 'class Point:\n    __slots__ = ("x", "y")\n\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n\npoints = [Point(i, i * 2) for i in range(1_000_000)]'
  },
  check({ cells, report }) {
    const candidates = cells.flatMap(candidatesIn);
    if (candidates.length === 0) {
      return;
    }
    const weakrefs = cells.some(c => c.source.includes('weakref'));
    for (const candidate of candidates) {
      const loopCall = instantiationInLoop(candidate.name, cells);
      if (!loopCall || setsOtherAttributes(candidate, cells)) {
        continue;
      }
      const { cls, name, attributes } = candidate;
      const header = nodeRange(cls);
      const nameNode = cls.childForFieldName('name')!;
      const where = `cell ${loopCall.cell.index + 1}, line ${loopCall.call.startPosition.row + 1}`;
      const slots = slotsTuple(attributes);
      report(candidate.cell.index, {
        ...header,
        endLine: nameNode.endPosition.row,
        endColumn: nameNode.endPosition.column,
        message: candidate.dataclass
          ? `Dataclass \`${name}\` is created in a loop (${where}) and keeps a \`__dict__\` per instance; use \`@dataclass(slots=True)\`.`
          : `Class \`${name}\` is created in a loop (${where}) and keeps a \`__dict__\` per instance for its fixed attributes ${attributes.map(a => `\`${a}\``).join(', ')}; add \`__slots__ = ${slots}\`.`,
        fix: weakrefs ? null : slotsFix(candidate)
      });
    }
  }
};

/** Top-level classes of a cell with a fixed attribute set and no slots. */
function candidatesIn(cell: IParsedCell): ICandidate[] {
  const result: ICandidate[] = [];
  for (const statement of cell.root.namedChildren) {
    const cls =
      statement.type === 'decorated_definition'
        ? statement.childForFieldName('definition')
        : statement;
    if (cls?.type !== 'class_definition') {
      continue;
    }
    const candidate = describeClass(cell, cls);
    if (candidate) {
      result.push(candidate);
    }
  }
  return result;
}

function describeClass(cell: IParsedCell, cls: Node): ICandidate | null {
  const name = cls.childForFieldName('name')?.text;
  const body = cls.childForFieldName('body');
  if (!name || !body || !plainBases(cls)) {
    return null;
  }
  let dataclass: Node | null = null;
  for (const decorator of decoratorsOf(cls)) {
    const kind = decoratorName(decorator);
    if (kind !== 'dataclass' && kind !== 'dataclasses.dataclass') {
      return null; // an unknown class transformation
    }
    if (/\bslots\s*=/.test(decorator.text)) {
      return null;
    }
    dataclass = decorator;
  }
  const classNames = new Set<string>();
  const fields: string[] = [];
  const methods: Node[] = [];
  for (const statement of body.namedChildren) {
    const inner =
      statement.type === 'decorated_definition'
        ? statement.childForFieldName('definition')
        : statement;
    if (inner?.type === 'function_definition') {
      methods.push(inner);
      classNames.add(inner.childForFieldName('name')?.text ?? '');
      continue;
    }
    const assignment = statement.namedChild(0);
    if (
      statement.type !== 'expression_statement' ||
      assignment?.type !== 'assignment'
    ) {
      continue;
    }
    for (const id of boundIdentifiers(assignment.childForFieldName('left'))) {
      if (id.text === '__slots__') {
        return null;
      }
      const annotation = assignment.childForFieldName('type')?.text ?? '';
      if (dataclass && annotation && !/ClassVar/.test(annotation)) {
        fields.push(id.text);
      } else {
        classNames.add(id.text);
      }
    }
  }
  const attributes = [...fields];
  const initMethods = dataclass ? ['__init__', '__post_init__'] : ['__init__'];
  const inits = methods.filter(m =>
    initMethods.includes(m.childForFieldName('name')?.text ?? '')
  );
  for (const init of inits) {
    for (const attribute of assignedAttributes(init)) {
      if (!attributes.includes(attribute)) {
        attributes.push(attribute);
      }
    }
  }
  if (attributes.length === 0 || usesInstanceDict(cls, methods)) {
    return null;
  }
  const elsewhere = methods
    .filter(m => !inits.includes(m))
    .flatMap(assignedAttributes);
  if (elsewhere.some(a => !attributes.includes(a))) {
    return null; // the attribute set is not fixed by __init__
  }
  return { cell, cls, name, attributes, dataclass, classNames };
}

/** No bases, or only `object`; no metaclass or other class keywords. */
function plainBases(cls: Node): boolean {
  const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
  return bases.every(b => b.type === 'identifier' && b.text === 'object');
}

/** `self.<attr>` names a method assigns (plain, augmented, tuple targets). */
function assignedAttributes(method: Node): string[] {
  const self = instanceParameter(method);
  const body = method.childForFieldName('body');
  if (!self || !body) {
    return [];
  }
  const names: string[] = [];
  const targets = body
    .descendantsOfType(['assignment', 'augmented_assignment'])
    .flatMap(a => flattenTargets(a.childForFieldName('left')));
  for (const target of targets) {
    if (
      target.type === 'attribute' &&
      target.childForFieldName('object')?.text === self
    ) {
      names.push(target.childForFieldName('attribute')!.text);
    }
  }
  return names;
}

function flattenTargets(target: Node | null): Node[] {
  if (!target) {
    return [];
  }
  return ['pattern_list', 'tuple_pattern', 'list_pattern'].includes(target.type)
    ? target.namedChildren.flatMap(flattenTargets)
    : [target];
}

/** `setattr`, `__dict__`, `vars(...)`, `__setattr__`, `cached_property`. */
function usesInstanceDict(cls: Node, methods: Node[]): boolean {
  const text = cls.text;
  return (
    /\b(setattr|vars|__dict__|cached_property)\b/.test(text) ||
    methods.some(m =>
      ['__setattr__', '__getattr__'].includes(
        m.childForFieldName('name')?.text ?? ''
      )
    )
  );
}

/** The first `Name(...)` call inside a loop or comprehension, if any. */
function instantiationInLoop(
  name: string,
  cells: readonly IParsedCell[]
): { cell: IParsedCell; call: Node } | null {
  for (const cell of cells) {
    for (const call of cell.root.descendantsOfType('call')) {
      const fn = call.childForFieldName('function');
      if (
        fn?.type === 'identifier' &&
        fn.text === name &&
        enclosingLoop(call, { comprehensions: true })
      ) {
        return { cell, call };
      }
    }
  }
  return null;
}

/** Some cell sets a new attribute on an instance: `p = Point(); p.z = 1`. */
function setsOtherAttributes(
  candidate: ICandidate,
  cells: readonly IParsedCell[]
): boolean {
  const instances = new Set<string>();
  for (const cell of cells) {
    for (const assignment of cell.root.descendantsOfType('assignment')) {
      const right = assignment.childForFieldName('right');
      if (
        right?.type === 'call' &&
        dottedName(right.childForFieldName('function')) === candidate.name
      ) {
        boundIdentifiers(assignment.childForFieldName('left')).forEach(id =>
          instances.add(id.text)
        );
      }
    }
  }
  return cells.some(cell =>
    cell.root
      .descendantsOfType(['assignment', 'augmented_assignment'])
      .flatMap(a => flattenTargets(a.childForFieldName('left')))
      .some(
        t =>
          t.type === 'attribute' &&
          instances.has(t.childForFieldName('object')?.text ?? '') &&
          !candidate.attributes.includes(t.childForFieldName('attribute')!.text)
      )
  );
}

function slotsTuple(attributes: string[]): string {
  const items = attributes.map(a => JSON.stringify(a));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/**
 * Insert `__slots__` as the first statement of the class (after a docstring),
 * or add `slots=True` to `@dataclass`. No fix when a class variable has the
 * name of an attribute (slots would conflict with it).
 */
function slotsFix(candidate: ICandidate): IFix | null {
  const { cell, cls, attributes, dataclass, classNames } = candidate;
  if (attributes.some(a => classNames.has(a))) {
    return null;
  }
  if (dataclass) {
    const expression = dataclass.namedChildren.find(c => c.type !== 'comment')!;
    const args =
      expression.type === 'call'
        ? expression.childForFieldName('arguments')
        : null;
    if (expression.type === 'call' && !args) {
      return null;
    }
    // Before the closing parenthesis, or after a bare `@dataclass`.
    const close = args?.lastChild;
    const at = close ? close.startPosition : expression.endPosition;
    const text = !args
      ? '(slots=True)'
      : args.namedChildCount === 0 || close?.previousSibling?.type === ','
        ? 'slots=True'
        : ', slots=True';
    return {
      description: 'Use @dataclass(slots=True) (Python 3.10+)',
      edits: [{ cell: cell.index, ...point(at), text }]
    };
  }
  const body = cls.childForFieldName('body')!;
  const first = body.namedChildren.find(c => c.type !== 'comment');
  if (!first || first.startPosition.row === cls.startPosition.row) {
    return null;
  }
  const lines = cell.source.split('\n');
  const indent = lines[first.startPosition.row].slice(
    0,
    first.startPosition.column
  );
  const slots = `__slots__ = ${slotsTuple(attributes)}`;
  const docstring =
    first.type === 'expression_statement' &&
    first.namedChild(0)?.type === 'string';
  const at = docstring ? first.endPosition : first.startPosition;
  return {
    description: `Add __slots__ = ${slotsTuple(attributes)}`,
    edits: [
      {
        cell: cell.index,
        ...point(at),
        text: docstring ? `\n${indent}${slots}` : `${slots}\n${indent}`
      }
    ]
  };
}

/** An empty range at a position (an insertion point). */
function point(at: { row: number; column: number }) {
  return {
    line: at.row,
    column: at.column,
    endLine: at.row,
    endColumn: at.column
  };
}

/**
 * ML402's view of a class: whether its instances have a fixed attribute set
 * that `__slots__` could hold, and the fix that adds the slots.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { IParsedCell, ITextEdit } from '../../types';
import { boundIdentifiers } from '../../semantic/scopes';
import {
  decoratorName,
  decoratorsOf,
  instanceParameter
} from '../../semantic/definitions';

/** A top-level class of the notebook that may take `__slots__`. */
export interface ICandidate {
  /** Source of the class's cell. */
  source: string;
  cls: SyntaxNode;
  name: string;
  /** Instance attributes in first-assignment order. */
  attributes: string[];
  /** The `@dataclass` decorator, when it is a dataclass. */
  dataclass: SyntaxNode | null;
  /** Class-level names (class variables, methods). */
  classNames: Set<string>;
}

/** Top-level classes of a cell with a fixed attribute set and no slots. */
export function candidatesIn(cell: IParsedCell): ICandidate[] {
  const result: ICandidate[] = [];
  for (const statement of cell.root.namedChildren) {
    const cls =
      statement.type === 'decorated_definition'
        ? statement.childForFieldName('definition')
        : statement;
    if (cls?.type !== 'class_definition') {
      continue;
    }
    const candidate = describeClass(cell.source, cls);
    if (candidate) {
      result.push(candidate);
    }
  }
  return result;
}

function describeClass(source: string, cls: SyntaxNode): ICandidate | null {
  const name = cls.childForFieldName('name')?.text;
  const body = cls.childForFieldName('body');
  if (!name || !body || !plainBases(cls)) {
    return null;
  }
  let dataclass: SyntaxNode | null = null;
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
  const methods: SyntaxNode[] = [];
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
  return { source, cls, name, attributes, dataclass, classNames };
}

/** No bases, or only `object`; no metaclass or other class keywords. */
function plainBases(cls: SyntaxNode): boolean {
  const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
  return bases.every(b => b.type === 'identifier' && b.text === 'object');
}

/** `self.<attr>` names a method assigns (plain, augmented, tuple targets). */
function assignedAttributes(method: SyntaxNode): string[] {
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

export function flattenTargets(target: SyntaxNode | null): SyntaxNode[] {
  if (!target) {
    return [];
  }
  return ['pattern_list', 'tuple_pattern', 'list_pattern'].includes(target.type)
    ? target.namedChildren.flatMap(flattenTargets)
    : [target];
}

/** `setattr`, `__dict__`, `vars(...)`, `__setattr__`, `cached_property`. */
function usesInstanceDict(cls: SyntaxNode, methods: SyntaxNode[]): boolean {
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

export function slotsTuple(attributes: string[]): string {
  const items = attributes.map(a => JSON.stringify(a));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** A fix whose edits get the cell index when reported. */
export interface ISlotsFix {
  description: string;
  edits: Omit<ITextEdit, 'cell'>[];
}

/**
 * Insert `__slots__` as the first statement of the class (after a docstring),
 * or add `slots=True` to `@dataclass`. No fix when a class variable has the
 * name of an attribute (slots would conflict with it).
 */
export function slotsFix(candidate: ICandidate): ISlotsFix | null {
  const { cls, attributes, dataclass, classNames } = candidate;
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
      edits: [{ ...point(at), text }]
    };
  }
  const body = cls.childForFieldName('body')!;
  const first = body.namedChildren.find(c => c.type !== 'comment');
  if (!first || first.startPosition.row === cls.startPosition.row) {
    return null;
  }
  const lines = candidate.source.split('\n');
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

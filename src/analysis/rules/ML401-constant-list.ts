/**
 * ML401: a list of constants that is never mutated. A literal list used only
 * for iteration or membership (`x in [1, 2, 3]`), or an ALL_CAPS module
 * constant that no cell of the notebook mutates, can be a tuple: smaller,
 * immutable, and built once as a constant.
 */
import type { Node } from 'web-tree-sitter';
import type { INotebookRule, IParsedCell, ITextEdit } from '../types';
import { importAliases, qualifiedCallee, Aliases } from './util/names';
import { isConstantLiteral, nodeRange, sameNode } from './util/tree';

/** Calls that only read their argument and treat a tuple like a list. */
const READ_ONLY_CALLS = new Set([
  'len',
  'sorted',
  'set',
  'frozenset',
  'tuple',
  'list',
  'enumerate',
  'zip',
  'min',
  'max',
  'sum',
  'any',
  'all',
  'reversed',
  'iter',
  'numpy.array',
  'numpy.asarray'
]);

/** Methods that exist on tuples and do not mutate. */
const READ_ONLY_METHODS = new Set(['index', 'count']);

const ALL_CAPS = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/** ML401: constant list that could be a tuple. */
export const ML401: INotebookRule = {
  id: 'ML401',
  name: 'constant-list',
  title: 'List of constants that is never mutated',
  severity: 'hint',
  scope: 'notebook',
  docs: {
    why: 'A list carries spare capacity and a separate item array, and can be mutated by anyone holding it. A tuple of constants is smaller, immutable (safe to share) and, as a literal, built once by the compiler instead of on every evaluation.',
    whatToDo:
      'Write constants that never change as tuples: `for x in (1, 2, 3)`, `if c in ("a", "b")`, `COLUMNS = ("a", "b")` (or a `frozenset` for large membership tests).',
    bad: 'SPLITS = ["train", "val", "test"]\nfor split in SPLITS:\n    if split in ["val", "test"]:\n        evaluate(split)',
    good: 'SPLITS = ("train", "val", "test")\nfor split in SPLITS:\n    if split in ("val", "test"):\n        evaluate(split)'
  },
  check({ cells, report }) {
    const aliases = importAliases(cells.map(c => c.root));
    for (const cell of cells) {
      for (const list of cell.root.descendantsOfType('list')) {
        const use = literalUse(list);
        if (use && isConstantList(list)) {
          report(cell.index, {
            ...nodeRange(list),
            message: `The constant list \`${short(list)}\` is only used ${use}; write it as a tuple.`,
            fix: tupleFix(cell, list)
          });
        }
      }
    }
    for (const constant of allCapsConstants(cells)) {
      if (everyUseReadOnly(constant, cells, aliases)) {
        report(constant.cell.index, {
          ...nodeRange(constant.assignment),
          message: `The module constant \`${constant.name}\` is a list that no cell mutates; make it a tuple.`,
          fix: tupleFix(constant.cell, constant.list)
        });
      }
    }
  }
};

/** How a literal list is used when that use is iteration or membership. */
function literalUse(list: Node): string | null {
  const parent = list.parent;
  if (
    (parent?.type === 'for_statement' || parent?.type === 'for_in_clause') &&
    sameNode(parent.childForFieldName('right'), list)
  ) {
    return 'for iteration';
  }
  const operator = list.previousSibling?.type;
  if (
    parent?.type === 'comparison_operator' &&
    (operator === 'in' || operator === 'not in')
  ) {
    return `for a membership test (\`${operator}\`)`;
  }
  return null;
}

function isConstantList(list: Node): boolean {
  const items = list.namedChildren.filter(c => c.type !== 'comment');
  return items.length > 0 && items.every(isConstantLiteral);
}

/** A top-level `NAME = [constants]`. */
interface IConstant {
  name: string;
  cell: IParsedCell;
  assignment: Node;
  list: Node;
}

function allCapsConstants(cells: readonly IParsedCell[]): IConstant[] {
  const constants: IConstant[] = [];
  for (const cell of cells) {
    for (const statement of cell.root.namedChildren) {
      const assignment = statement.namedChild(0);
      if (
        statement.type !== 'expression_statement' ||
        assignment?.type !== 'assignment'
      ) {
        continue;
      }
      const left = assignment.childForFieldName('left');
      const list = assignment.childForFieldName('right');
      if (
        left?.type === 'identifier' &&
        left.text.length > 1 &&
        ALL_CAPS.test(left.text) &&
        list?.type === 'list' &&
        !assignment.childForFieldName('type') &&
        isConstantList(list)
      ) {
        constants.push({ name: left.text, cell, assignment, list });
      }
    }
  }
  return constants;
}

/** True when every mention of the constant anywhere only reads it. */
function everyUseReadOnly(
  constant: IConstant,
  cells: readonly IParsedCell[],
  aliases: Aliases
): boolean {
  for (const cell of cells) {
    for (const id of cell.root.descendantsOfType('identifier')) {
      if (id.text === constant.name && !isReadOnlyUse(id, aliases)) {
        return false;
      }
    }
  }
  return true;
}

/**
 * Mentions that behave the same for a tuple and cannot mutate: iterating,
 * `x in NAME`, `NAME[i]`, `NAME.index(x)`, read-only builtins, `"".join(NAME)`,
 * and plain rebinding (`NAME = ...`, `global NAME`, `del NAME`).
 */
function isReadOnlyUse(id: Node, aliases: Aliases): boolean {
  const parent = id.parent;
  if (!parent) {
    return false;
  }
  const field = (name: string) => sameNode(parent.childForFieldName(name), id);
  switch (parent.type) {
    case 'assignment':
      return field('left');
    case 'global_statement':
    case 'delete_statement':
      return true;
    case 'for_statement':
    case 'for_in_clause':
      return field('right');
    case 'comparison_operator': {
      const operator = id.previousSibling?.type;
      return operator === 'in' || operator === 'not in';
    }
    case 'subscript': {
      const indices = parent.childrenForFieldName('subscript');
      return (
        field('value') &&
        indices.every(i => i.type !== 'slice') &&
        !isTarget(parent)
      );
    }
    case 'attribute': {
      const method = parent.childForFieldName('attribute')?.text ?? '';
      return (
        field('object') &&
        READ_ONLY_METHODS.has(method) &&
        parent.parent?.type === 'call'
      );
    }
    case 'argument_list': {
      const call = parent.parent;
      const fn = call?.childForFieldName('function');
      const callee = call ? qualifiedCallee(call, aliases) : null;
      return (
        (!!callee && READ_ONLY_CALLS.has(callee)) ||
        (fn?.type === 'attribute' &&
          fn.childForFieldName('attribute')?.text === 'join' &&
          parent.namedChildCount === 1)
      );
    }
    default:
      return false;
  }
}

/** True when a subscript is written (`x[i] = ...`, `x[i] += ...`, `del x[i]`). */
function isTarget(subscript: Node): boolean {
  const parent = subscript.parent;
  if (parent?.type === 'delete_statement') {
    return true;
  }
  return (
    (parent?.type === 'assignment' ||
      parent?.type === 'augmented_assignment') &&
    sameNode(parent.childForFieldName('left'), subscript)
  );
}

/** `[a, b]` → `(a, b)`; `[a]` → `(a,)`. */
function tupleFix(cell: IParsedCell, list: Node) {
  const open = list.firstChild!;
  const close = list.lastChild!;
  const items = list.namedChildren.filter(c => c.type !== 'comment');
  const last = items[items.length - 1];
  const trailingComma = last.nextSibling?.type === ',';
  const edits: ITextEdit[] = [
    { cell: cell.index, ...nodeRange(open), text: '(' },
    { cell: cell.index, ...nodeRange(close), text: ')' }
  ];
  if (items.length === 1 && !trailingComma) {
    const end = nodeRange(last);
    edits.push({
      cell: cell.index,
      line: end.endLine,
      column: end.endColumn,
      endLine: end.endLine,
      endColumn: end.endColumn,
      text: ','
    });
  }
  return { description: 'Make it a tuple', edits };
}

function short(node: Node): string {
  const flat = node.text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 36)}...]` : flat;
}

/**
 * ML401: a named list of constants that is never mutated. An ALL_CAPS module
 * constant that no cell of the notebook mutates, passes to code that might,
 * or rebinds, can be a tuple: smaller, immutable, built once as a constant.
 *
 * Inline literals (`for x in [1, 2, 3]`, `x in [1, 2]`) are not flagged:
 * CPython already compiles them to tuple constants.
 *
 * Worth acting on only when big: the list is a second copy of the item array
 * of the tuple constant the compiler builds from the display (8 bytes an
 * item), so a list written in a cell saves under 1 MiB below 131,072 items
 * and is not reported.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type {
  INotebookRule,
  IParsedCell,
  IRange,
  IReport,
  ITextEdit
} from '../../types';
import { perCell } from '../helpers/cell-cache';
import { Aliases, notebookAliases, qualify } from '../helpers/names';
import {
  dottedName,
  isConstantLiteral,
  nodeRange,
  sameNode
} from '../../syntax/tree';

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
  'iter'
]);

/** Methods that exist on tuples and do not mutate. */
const READ_ONLY_METHODS = new Set(['index', 'count']);

const ALL_CAPS = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/** Items of a list display whose item array reaches 1 MiB (8 bytes each). */
export const WORTH_ITEMS = (1 << 20) / 8;

/** ML401: constant list that could be a tuple. */
export const ML401: INotebookRule = {
  id: 'ML401',
  name: 'constant-list',
  title: 'List of constants that is never mutated',
  severity: 'hint',
  scope: 'notebook',
  docs: {
    why: 'A list written in a cell is a second copy of the item array of the tuple constant the compiler builds from it (8 bytes an item), and can be mutated by anyone holding it. A module constant that is only iterated, tested for membership or indexed is smaller and safe to share as a tuple. Reported only for long tables (131,072 items and more, where the copy reaches 1 MiB): a list of a few names saves a few dozen bytes. Not flagged either: inline literals such as `for x in [1, 2, 3]` (CPython already compiles them to tuples), and lists passed to code that may mutate them (`df[COLS]`, `np.array(COLS)`, your own functions).',
    whatToDo:
      'Write module constants that never change as tuples: `SPLITS = ("train", "val", "test")` (or a `frozenset` for large membership tests).',
    bad: 'CODES = [10001, 10002, 10003, ...]  # 200,000 codes pasted in\nfor code in CODES:\n    evaluate(code)',
    good: 'CODES = (10001, 10002, 10003, ...)  # 200,000 codes pasted in\nfor code in CODES:\n    evaluate(code)'
  },
  check({ cells, report }) {
    const constants: { cell: IParsedCell; constant: IConstant }[] = [];
    for (const cell of cells) {
      for (const constant of constantsOf(cell)) {
        constants.push({ cell, constant });
      }
    }
    if (constants.length === 0) {
      return;
    }
    let aliases: Aliases | null = null;
    const readOnly = (use: Use): boolean => {
      if (typeof use === 'boolean') {
        return use;
      }
      aliases ??= notebookAliases(cells);
      const callee = qualify(use.callee, aliases);
      return (!!callee && READ_ONLY_CALLS.has(callee)) || use.join;
    };
    for (const { cell, constant } of constants) {
      const mutated = cells.some(other =>
        capsUses(other)
          .get(constant.name)
          ?.some(use => !readOnly(use))
      );
      if (!mutated) {
        report(cell.index, withCell(cell, constant.finding));
      }
    }
  }
};

/** A finding of one cell without its cell index (cells move). */
interface ILocalReport extends IRange {
  message: string;
  fix: { description: string; edits: Omit<ITextEdit, 'cell'>[] };
}

function withCell(cell: IParsedCell, report: ILocalReport): IReport {
  return {
    ...report,
    fix: {
      description: report.fix.description,
      edits: report.fix.edits.map(edit => ({ cell: cell.index, ...edit }))
    }
  };
}

/** Top-level `NAME = [constants]` of one cell, computed once per parsed cell. */
const constantsOf = perCell(allCapsConstants);

/**
 * How a mention of an ALL_CAPS name uses it: read-only or not, or (as an
 * argument) the call it is passed to, resolved with the notebook's imports.
 */
type Use = boolean | { callee: string | null; join: boolean };

/** The mentions of ALL_CAPS names in one cell, by name. */
const capsUses = perCell(cell => {
  const uses = new Map<string, Use[]>();
  const words = new Set(
    (cell.masked.match(/\b[A-Z][A-Z0-9_]*\b/g) ?? []).filter(
      w => w.length > 1 && ALL_CAPS.test(w)
    )
  );
  if (words.size === 0) {
    return uses;
  }
  for (const id of cell.root.descendantsOfType('identifier')) {
    const name = id.text;
    if (words.has(name)) {
      const list = uses.get(name) ?? [];
      list.push(useOf(id));
      uses.set(name, list);
    }
  }
  return uses;
});

function isConstantList(list: SyntaxNode): boolean {
  const items = list.namedChildren.filter(c => c.type !== 'comment');
  return items.length > 0 && items.every(isConstantLiteral);
}

/** A top-level `NAME = [constants]`. */
interface IConstant {
  name: string;
  finding: ILocalReport;
}

function allCapsConstants(cell: IParsedCell): IConstant[] {
  const constants: IConstant[] = [];
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
      list.namedChildCount >= WORTH_ITEMS &&
      !assignment.childForFieldName('type') &&
      isConstantList(list)
    ) {
      constants.push({
        name: left.text,
        finding: {
          ...nodeRange(assignment),
          message: `The module constant \`${left.text}\` is a list that no cell mutates; make it a tuple.`,
          fix: tupleFix(list)
        }
      });
    }
  }
  return constants;
}

/**
 * Mentions that behave the same for a tuple and cannot mutate: iterating,
 * `x in NAME`, `NAME[i]`, `NAME.index(x)`, read-only builtins, `"".join(NAME)`,
 * and plain rebinding (`NAME = ...`, `global NAME`, `del NAME`).
 */
function useOf(id: SyntaxNode): Use {
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
      return {
        callee: call?.type === 'call' ? dottedName(fn ?? null) : null,
        join:
          fn?.type === 'attribute' &&
          fn.childForFieldName('attribute')?.text === 'join' &&
          parent.namedChildCount === 1
      };
    }
    default:
      return false;
  }
}

/** True when a subscript is written (`x[i] = ...`, `x[i] += ...`, `del x[i]`). */
function isTarget(subscript: SyntaxNode): boolean {
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
function tupleFix(list: SyntaxNode): ILocalReport['fix'] {
  const open = list.firstChild!;
  const close = list.lastChild!;
  const items = list.namedChildren.filter(c => c.type !== 'comment');
  const last = items[items.length - 1];
  const trailingComma = last.nextSibling?.type === ',';
  const edits: Omit<ITextEdit, 'cell'>[] = [
    { ...nodeRange(open), text: '(' },
    { ...nodeRange(close), text: ')' }
  ];
  if (items.length === 1 && !trailingComma) {
    const end = nodeRange(last);
    edits.push({
      line: end.endLine,
      column: end.endColumn,
      endLine: end.endLine,
      endColumn: end.endColumn,
      text: ','
    });
  }
  return { description: 'Make it a tuple', edits };
}

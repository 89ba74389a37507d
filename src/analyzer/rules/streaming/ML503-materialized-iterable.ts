/**
 * ML503: `for x in list(<iterable>)`: a full copy built only to be looped
 * over. Not flagged when the loop may change or consume what it iterates
 * (`for k in list(d): del d[k]` is correct): every use of a name from the
 * iterable inside the loop must be a plain read.
 *
 * Only iterables known to produce their items one at a time are flagged
 * (ranges, dict views, `zip`/`map`/generators, files, row iterators). A name
 * of unknown kind may already be a list (the copy is a few pointers) or an
 * array (`list(arr)` makes row views, not a data copy): the saving is not
 * shown by the source, so the rule stays silent.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { ICellRule } from '../../types';
import {
  callArguments,
  calleeName,
  isWithin,
  nodeRange,
  sameNode
} from '../../syntax/tree';
import { loopRegion } from '../../semantic/scopes';
import { literalInt } from '../../semantic/dataflow/allocations';

/** Builtins whose result yields its items one at a time. */
const LAZY_BUILTINS = new Set([
  'range',
  'map',
  'filter',
  'zip',
  'enumerate',
  'reversed',
  'iter',
  'open'
]);
/** Methods returning a view or an iterator over what their object holds. */
const LAZY_METHODS = new Set([
  'keys',
  'values',
  'items',
  'iterrows',
  'itertuples',
  'iterdir',
  'glob',
  'rglob',
  'finditer',
  'imap',
  'imap_unordered'
]);
/** Module functions returning iterators. */
const LAZY_FUNCTIONS = /^(itertools\.\w+|os\.walk|os\.scandir|glob\.iglob)$/;
/**
 * Below this many items a copied `range` costs under 1 MiB (a pointer and an
 * int object per item): not worth a finding.
 */
const SMALL_RANGE = 29_000;

/** Methods that only read their object. */
const READ_ONLY = new Set([
  'get',
  'keys',
  'values',
  'items',
  'copy',
  'count',
  'index',
  'find',
  'startswith',
  'endswith',
  'split',
  'strip',
  'lower',
  'upper',
  'format'
]);
/** Builtins that neither mutate nor consume their argument. */
const PURE = new Set([
  'len',
  'print',
  'str',
  'repr',
  'isinstance',
  'type',
  'id',
  'hash',
  'format',
  'bool'
]);
/** Argument forms that stay valid as a `for` iterable without parentheses. */
const PRIMARY = new Set([
  'identifier',
  'call',
  'attribute',
  'subscript',
  'parenthesized_expression',
  'generator_expression',
  'string',
  'tuple',
  'dictionary',
  'set'
]);

/** ML503: `for x in list(...)` used only for iteration. */
export const ML503: ICellRule = {
  id: 'ML503',
  name: 'materialized-iterable',
  title: 'Iterable copied into a list just to loop over it',
  severity: 'info',
  scope: 'cell',
  docs: {
    why: '`list(...)` builds every item in memory before the loop starts; iterating the range, view, generator or sequence directly produces one item at a time.',
    whatToDo:
      'Loop over the iterable itself. Keep `list(...)` only when the loop changes what it iterates (deleting dict keys, consuming an iterator).',
    bad: 'for i in list(range(n)):\n    total += i\nfor key in list(counts.keys()):\n    print(key, counts[key])',
    good: 'for i in range(n):\n    total += i\nfor key in counts.keys():\n    print(key, counts[key])'
  },
  check({ cell, report }) {
    for (const call of cell.root.descendantsOfType('call')) {
      const inner = copiedIterable(call);
      const scope = inner ? loopRegion(call) : null;
      if (
        !scope ||
        !inner ||
        !isLazy(inner, call, cell.root) ||
        changesWithin(inner, scope, call)
      ) {
        continue;
      }
      const text = PRIMARY.has(inner.type) ? inner.text : `(${inner.text})`;
      const shown = text.length <= 40 && !text.includes('\n') ? text : '...';
      report({
        ...nodeRange(call),
        message: `list(${shown}) copies every item before looping; iterate ${shown} directly.`,
        fix: {
          description: 'Iterate without the list() copy',
          edits: [{ cell: cell.index, ...nodeRange(call), text }]
        }
      });
    }
  }
};

/** The argument of `list(x)` unless it is already a fresh list (ML102's case). */
function copiedIterable(call: SyntaxNode): SyntaxNode | null {
  if (call.childForFieldName('function')?.text !== 'list') {
    return null;
  }
  const { positional, keywords, splat } = callArguments(call);
  const [only] = positional;
  if (splat || keywords.size > 0 || positional.length !== 1) {
    return null;
  }
  const fresh =
    only.type === 'list' ||
    only.type === 'list_comprehension' ||
    (only.type === 'call' &&
      only.childForFieldName('function')?.text === 'sorted');
  return fresh ? null : only;
}

/**
 * `node` yields its items one at a time, as written or (a name) as last
 * assigned earlier in the same cell; a `range` known to be small is not.
 */
function isLazy(node: SyntaxNode, at: SyntaxNode, root: SyntaxNode): boolean {
  if (node.type === 'generator_expression') {
    return true;
  }
  if (node.type === 'conditional_expression') {
    const [then, , otherwise] = node.namedChildren;
    return isLazy(then, at, root) && isLazy(otherwise, at, root);
  }
  if (node.type === 'identifier') {
    const value = assignedBefore(node.text, at, root);
    return value !== null && isLazy(value, value, root);
  }
  if (node.type !== 'call') {
    return false;
  }
  const callee = calleeName(node) ?? '';
  if (callee === 'range') {
    const bounds = callArguments(node).positional.map(literalInt);
    const size =
      bounds.length === 1
        ? bounds[0]
        : bounds.length === 2 && bounds[0] !== null && bounds[1] !== null
          ? bounds[1] - bounds[0]
          : null;
    return size === null || size >= SMALL_RANGE;
  }
  const method = node.childForFieldName('function');
  return (
    LAZY_BUILTINS.has(callee) ||
    LAZY_FUNCTIONS.test(callee) ||
    (method?.type === 'attribute' &&
      LAZY_METHODS.has(method.childForFieldName('attribute')?.text ?? ''))
  );
}

/** The value last assigned to `name` by a plain `name = ...` before `at`. */
function assignedBefore(
  name: string,
  at: SyntaxNode,
  root: SyntaxNode
): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  for (const assignment of root.descendantsOfType('assignment')) {
    const left = assignment.childForFieldName('left');
    if (
      assignment.endIndex <= at.startIndex &&
      left?.type === 'identifier' &&
      left.text === name
    ) {
      found = assignment.childForFieldName('right');
    }
  }
  return found;
}

/** Some name of `iterable` is used in `region` other than as a plain read. */
function changesWithin(
  iterable: SyntaxNode,
  region: SyntaxNode,
  call: SyntaxNode
): boolean {
  const names = new Set(
    iterable
      .descendantsOfType('identifier')
      .filter(id => isVariable(id))
      .map(id => id.text)
  );
  if (iterable.type === 'identifier') {
    names.add(iterable.text);
  }
  return region
    .descendantsOfType('identifier')
    .some(
      id =>
        names.has(id.text) &&
        isVariable(id) &&
        !isWithin(id, call) &&
        !isPlainRead(id)
    );
}

/** An identifier that names a variable (not `x.attr`, `f(key=...)`, a callee). */
function isVariable(id: SyntaxNode): boolean {
  const parent = id.parent;
  if (parent?.type === 'attribute') {
    return !sameNode(parent.childForFieldName('attribute'), id);
  }
  if (parent?.type === 'keyword_argument') {
    return !sameNode(parent.childForFieldName('name'), id);
  }
  if (parent?.type === 'call') {
    return !sameNode(parent.childForFieldName('function'), id);
  }
  return true;
}

/**
 * `d[k]`, `d.attr`, `d.get(k)` (read-only methods), or `len(d)`-style pure
 * builtins; anything else may mutate or consume the iterable.
 */
function isPlainRead(id: SyntaxNode): boolean {
  let top = id;
  let parent = id.parent;
  if (parent?.type === 'argument_list') {
    const callee = parent.parent?.childForFieldName('function');
    return callee?.type === 'identifier' && PURE.has(callee.text);
  }
  while (
    parent &&
    ((parent.type === 'subscript' &&
      sameNode(parent.childForFieldName('value'), top)) ||
      (parent.type === 'attribute' &&
        sameNode(parent.childForFieldName('object'), top)))
  ) {
    if (parent.type === 'attribute' && isCalled(parent)) {
      const method = parent.childForFieldName('attribute')?.text ?? '';
      return (
        READ_ONLY.has(method) && sameNode(top, id) && !isTarget(parent.parent!)
      );
    }
    top = parent;
    parent = parent.parent;
  }
  return !sameNode(top, id) && !isTarget(top);
}

function isCalled(attribute: SyntaxNode): boolean {
  const parent = attribute.parent;
  return (
    parent?.type === 'call' &&
    sameNode(parent.childForFieldName('function'), attribute)
  );
}

/** `node` is (inside) an assignment target or a `del` target. */
function isTarget(node: SyntaxNode): boolean {
  for (let child = node, n = node.parent; n; child = n, n = n.parent) {
    if (
      (n.type === 'assignment' || n.type === 'augmented_assignment') &&
      sameNode(n.childForFieldName('left'), child)
    ) {
      return true;
    }
    if (n.type === 'delete_statement') {
      return true;
    }
    if (n.type.endsWith('statement') || n.type === 'block') {
      return false;
    }
  }
  return false;
}

/**
 * The analyzer's helpers over tree-sitter-python syntax trees, shared by the
 * rules and the dataflow pass: ranges, walking, dotted names, call
 * arguments, loops and scopes, bound names. Pure syntax: nothing here knows
 * about a particular rule. Columns are UTF-16 code units (web-tree-sitter
 * parses JS strings as UTF-16), the same unit as CodeMirror positions and
 * `String.slice`.
 */
import type { SyntaxNode } from './syntax';
import type { IRange } from './types';

/** The 0-based range of a node. */
export function nodeRange(node: SyntaxNode): IRange {
  return {
    line: node.startPosition.row,
    column: node.startPosition.column,
    endLine: node.endPosition.row,
    endColumn: node.endPosition.column
  };
}

/** Named children of a node, without nulls. */
export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter(
    (child): child is SyntaxNode => child !== null
  );
}

/** Walk a subtree depth-first without recursion; `visit` returns false to skip children. */
export function walk(
  root: SyntaxNode,
  visit: (node: SyntaxNode) => boolean | void
): void {
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) {
      continue;
    }
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) {
        stack.push(child);
      }
    }
  }
}

/** The smallest named node covering `range` exactly, or null. */
export function nodeAt(
  root: SyntaxNode,
  range: { line: number; column: number; endLine: number; endColumn: number }
): SyntaxNode | null {
  return root.namedDescendantForPosition(
    { row: range.line, column: range.column },
    { row: range.endLine, column: range.endColumn }
  );
}

/** Text edit inserting `text` at a point of cell `cell`. */
export function insertAt(
  cell: number,
  line: number,
  column: number,
  text: string
): {
  cell: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
} {
  return { cell, line, column, endLine: line, endColumn: column, text };
}

/** True when `a` and `b` are the same node. */
export function sameNode(a: SyntaxNode | null, b: SyntaxNode | null): boolean {
  return a !== null && a === b;
}

/** True when `inner` is `outer` or lies inside it. */
export function isWithin(inner: SyntaxNode, outer: SyntaxNode): boolean {
  return (
    inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex
  );
}

/**
 * `a.b.c` for an identifier or a chain of attribute accesses on one; `null`
 * for anything else (calls, subscripts, literals in the chain) or no node.
 */
export function dottedName(node: SyntaxNode | null): string | null {
  if (!node) {
    return null;
  }
  if (node.type === 'identifier') {
    return node.text;
  }
  if (node.type === 'attribute') {
    const head = dottedName(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute');
    return head && attribute ? `${head}.${attribute.text}` : null;
  }
  return null;
}

/** The dotted name of the function a `call` node calls (`np.zeros`), or null. */
export function calleeName(call: SyntaxNode): string | null {
  return call.type === 'call'
    ? dottedName(call.childForFieldName('function'))
    : null;
}

/** The arguments of a call, split by kind. */
export interface ICallArguments {
  /** Positional arguments in order (a bare generator argument is one). */
  readonly positional: readonly SyntaxNode[];
  /** Keyword arguments by name (the value node). */
  readonly keywords: ReadonlyMap<string, SyntaxNode>;
  /** True when the call has `*args` or `**kwargs`: the arguments are unknown. */
  splat: boolean;
}

const argumentsOf = new WeakMap<SyntaxNode, ICallArguments>();

/**
 * Split a call's arguments into positional, keyword and splat (once per
 * call node: notebook rules ask again on every run). The result is shared:
 * do not modify it.
 */
export function callArguments(call: SyntaxNode): ICallArguments {
  let found = argumentsOf.get(call);
  if (!found) {
    found = splitArguments(call);
    argumentsOf.set(call, found);
  }
  return found;
}

function splitArguments(call: SyntaxNode): ICallArguments {
  const result = {
    positional: [] as SyntaxNode[],
    keywords: new Map<string, SyntaxNode>(),
    splat: false
  };
  const args = call.childForFieldName('arguments');
  if (!args) {
    return result;
  }
  if (args.type === 'generator_expression') {
    result.positional.push(args);
    return result;
  }
  for (const arg of args.namedChildren) {
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name');
      const value = arg.childForFieldName('value');
      if (name && value) {
        result.keywords.set(name.text, value);
      }
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
      result.splat = true;
    } else if (arg.type !== 'comment') {
      result.positional.push(arg);
    }
  }
  return result;
}

const FUNCTION_SCOPES = new Set(['function_definition', 'lambda']);
const SCOPES = new Set([...FUNCTION_SCOPES, 'class_definition', 'module']);
const COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression'
]);

/** The nearest enclosing `def`, `lambda`, `class` or the module. */
export function enclosingScope(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.parent) {
    current = current.parent;
    if (SCOPES.has(current.type)) {
      return current;
    }
  }
  return current;
}

/** Options of {@link enclosingLoop}. */
export interface ILoopOptions {
  /** Also count comprehensions and generator expressions as loops. */
  comprehensions?: boolean;
}

/**
 * The innermost `for`/`while` statement whose body (re-run every iteration)
 * contains `node`, without crossing a `def`, `lambda` or `class`. The loop
 * header (`for x in <iterable>`) and `else:` clause run once and do not count.
 */
export function enclosingLoop(
  node: SyntaxNode,
  options: ILoopOptions = {}
): SyntaxNode | null {
  let child = node;
  let parent = node.parent;
  while (parent && !SCOPES.has(parent.type)) {
    if (
      (parent.type === 'for_statement' || parent.type === 'while_statement') &&
      sameNode(parent.childForFieldName('body'), child)
    ) {
      return parent;
    }
    if (
      options.comprehensions &&
      COMPREHENSIONS.has(parent.type) &&
      !isFirstIterable(parent, child)
    ) {
      return parent;
    }
    child = parent;
    parent = parent.parent;
  }
  return null;
}

/** The first `for ... in <iterable>` of a comprehension is evaluated once. */
function isFirstIterable(
  comprehension: SyntaxNode,
  child: SyntaxNode
): boolean {
  const first = comprehension.namedChildren.find(
    c => c.type === 'for_in_clause'
  );
  return !!first && sameNode(first, child);
}

/** Every loop (`for`/`while`, optionally comprehensions) around `node`. */
export function enclosingLoops(
  node: SyntaxNode,
  options: ILoopOptions = {}
): SyntaxNode[] {
  const loops: SyntaxNode[] = [];
  for (let loop = enclosingLoop(node, options); loop;) {
    loops.push(loop);
    loop = enclosingLoop(loop, options);
  }
  return loops;
}

/**
 * The identifiers a binding target binds: `a`, `a, b`, `(a, [b, *c])`.
 * Attribute and subscript targets bind no name and are skipped.
 */
export function boundIdentifiers(target: SyntaxNode | null): SyntaxNode[] {
  if (!target) {
    return [];
  }
  if (target.type === 'identifier') {
    return [target];
  }
  if (
    [
      'pattern_list',
      'tuple_pattern',
      'list_pattern',
      'expression_list',
      'tuple',
      'list',
      'list_splat_pattern',
      'list_splat',
      'parenthesized_expression',
      'as_pattern_target'
    ].includes(target.type)
  ) {
    return target.namedChildren.flatMap(boundIdentifiers);
  }
  return [];
}

/** The names a `for` statement or `for ... in` clause binds. */
export function loopTargets(loop: SyntaxNode): string[] {
  return boundIdentifiers(loop.childForFieldName('left')).map(n => n.text);
}

/**
 * Every statement-level binding of `name` inside `within`, excluding nested
 * function and class bodies: assignments (plain, augmented, annotated, walrus),
 * `for` targets, `with ... as`, `except ... as`, imports, `def`/`class` names.
 * Returns the binding node (the assignment, the `for` statement, ...).
 */
export function bindingsOf(name: string, within: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const visit = (node: SyntaxNode): void => {
    for (const child of node.namedChildren) {
      if (
        FUNCTION_SCOPES.has(child.type) ||
        child.type === 'class_definition'
      ) {
        if (child.childForFieldName('name')?.text === name) {
          found.push(child);
        }
        continue;
      }
      if (bindsName(child, name)) {
        found.push(child);
      }
      visit(child);
    }
  };
  visit(within);
  return found.sort((a, b) => a.startIndex - b.startIndex);
}

function bindsName(node: SyntaxNode, name: string): boolean {
  const has = (target: SyntaxNode | null): boolean =>
    boundIdentifiers(target).some(n => n.text === name);
  switch (node.type) {
    case 'assignment':
    case 'augmented_assignment':
    case 'for_statement':
    case 'for_in_clause':
      return has(node.childForFieldName('left'));
    case 'named_expression':
      return node.childForFieldName('name')?.text === name;
    case 'as_pattern':
      return has(node.childForFieldName('alias'));
    case 'aliased_import':
      return node.childForFieldName('alias')?.text === name;
    case 'dotted_name':
      return (
        node.parent?.type === 'import_statement' &&
        node.namedChild(0)?.text === name
      );
    case 'import_from_statement':
      return node
        .childrenForFieldName('name')
        .some(n => n.type === 'dotted_name' && n.text === name);
    default:
      return false;
  }
}

/** A literal made only of constants: numbers, strings without `{}`
 * interpolation, `True`/`False`/`None`, negated numbers, tuples of those. */
export function isConstantLiteral(node: SyntaxNode): boolean {
  switch (node.type) {
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return true;
    case 'string':
      return !node.namedChildren.some(c => c.type === 'interpolation');
    case 'concatenated_string':
      return node.namedChildren.every(isConstantLiteral);
    case 'unary_operator': {
      const argument = node.childForFieldName('argument');
      return !!argument && ['integer', 'float'].includes(argument.type);
    }
    case 'tuple':
    case 'parenthesized_expression':
      return node.namedChildren.every(
        c => c.type === 'comment' || isConstantLiteral(c)
      );
    default:
      return false;
  }
}

const EAGER_COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension'
]);

/**
 * What runs once per item when `call` is the iterable of a `for` statement
 * (its body) or of the first clause of a list/set/dict comprehension (the
 * whole comprehension); null elsewhere.
 */
export function loopRegion(call: SyntaxNode): SyntaxNode | null {
  const parent = call.parent;
  if (!parent || !sameNode(parent.childForFieldName('right'), call)) {
    return null;
  }
  if (parent.type === 'for_statement') {
    return parent.childForFieldName('body');
  }
  const comprehension = parent.parent;
  const first = comprehension?.namedChildren.find(
    c => c.type === 'for_in_clause'
  );
  return parent.type === 'for_in_clause' &&
    EAGER_COMPREHENSIONS.has(comprehension?.type ?? '') &&
    sameNode(first ?? null, parent)
    ? comprehension
    : null;
}

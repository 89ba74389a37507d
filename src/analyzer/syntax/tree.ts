/**
 * The analyzer's helpers over tree-sitter-python syntax trees, shared by the
 * rules and the dataflow pass: ranges, walking, dotted names, call
 * arguments, constant literals (loops, scopes and bound names are in
 * `scopes.ts`). Pure syntax: nothing here knows
 * about a particular rule. Columns are UTF-16 code units (web-tree-sitter
 * parses JS strings as UTF-16), the same unit as CodeMirror positions and
 * `String.slice`.
 */
import type { SyntaxNode } from './syntax';
import type { IRange } from '../types';

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

/**
 * The code of `node` shortened for a message: comments left out, a chain
 * written over lines joined into one (`(df\n  .assign(...))` →
 * `(df.assign(...))`), cut to `max` characters with `...`.
 */
export function shortCode(node: SyntaxNode, max = 40): string {
  let text = '';
  let at = node.startIndex;
  for (const comment of node.descendantsOfType('comment')) {
    text += node.tree.text.slice(at, comment.startIndex);
    at = comment.endIndex;
  }
  text += node.tree.text.slice(at, node.endIndex);
  const joined = text
    .replace(/(\w)\s*\n\s*(?=\w)/g, '$1 ')
    .replace(/\s*\n\s*/g, '');
  return joined.length > max ? joined.slice(0, max - 3) + '...' : joined;
}

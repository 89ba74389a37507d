/**
 * Small tree-sitter helpers shared by rules and the dataflow pass.
 * Columns are UTF-16 code units (web-tree-sitter parses JS strings as
 * UTF-16), the same unit as CodeMirror positions and `String.slice`.
 */
import type { Node } from 'web-tree-sitter';
import type { IRange } from './types';

/** The 0-based range of a node. */
export function nodeRange(node: Node): IRange {
  return {
    line: node.startPosition.row,
    column: node.startPosition.column,
    endLine: node.endPosition.row,
    endColumn: node.endPosition.column
  };
}

/** Named children of a node, without nulls. */
export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

/** Dotted name of a call's callee (`pd.read_csv`), or null if not a name. */
export function calleeName(call: Node): string | null {
  const callee = call.childForFieldName('function');
  if (!callee) {
    return null;
  }
  return dottedName(callee);
}

/** `a.b.c` for identifier/attribute chains, else null. */
export function dottedName(node: Node): string | null {
  if (node.type === 'identifier') {
    return node.text;
  }
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    const head = object ? dottedName(object) : null;
    return head && attribute ? `${head}.${attribute.text}` : null;
  }
  return null;
}

/** Walk a subtree depth-first without recursion; `visit` returns false to skip children. */
export function walk(root: Node, visit: (node: Node) => boolean | void): void {
  const stack: Node[] = [root];
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
  root: Node,
  range: { line: number; column: number; endLine: number; endColumn: number }
): Node | null {
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

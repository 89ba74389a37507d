/**
 * Syntax errors are contained: findings overlapping an ERROR or MISSING node
 * (widened to the simple statement around it, whose meaning is unsure) are
 * dropped; the rest of the cell is still reported.
 */
import type { SyntaxNode } from '../syntax';
import type { IRange } from '../../types';

/** Where widening an error region stops: blocks and compound statements. */
const STOP = new Set([
  'module',
  'block',
  'ERROR',
  'for_statement',
  'while_statement',
  'if_statement',
  'with_statement',
  'try_statement',
  'function_definition',
  'class_definition',
  'decorated_definition',
  'elif_clause',
  'else_clause',
  'except_clause',
  'finally_clause',
  'match_statement',
  'case_clause'
]);

/** The error node widened to its enclosing simple statement. */
function widen(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (let parent = node.parent; parent && !STOP.has(parent.type);) {
    current = parent;
    parent = parent.parent;
  }
  return current;
}

/** Ranges of the ERROR and MISSING nodes of a tree (outermost only). */
export function errorRanges(root: SyntaxNode): IRange[] {
  const ranges: IRange[] = [];
  if (!root.hasError) {
    return ranges;
  }
  // Iterative: trees of deeply nested input must not overflow the JS stack.
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.isError || node.isMissing) {
      const region = widen(node);
      ranges.push({
        line: region.startPosition.row,
        column: region.startPosition.column,
        endLine: region.endPosition.row,
        endColumn: region.endPosition.column
      });
      continue;
    }
    for (const child of node.children) {
      if (child?.hasError) {
        stack.push(child);
      }
    }
  }
  return ranges;
}

/** True when `a` and `b` overlap; an empty range overlaps what contains it. */
export function overlaps(a: IRange, b: IRange): boolean {
  const aStart = [a.line, a.column] as const;
  const aEnd = [a.endLine, a.endColumn] as const;
  const bStart = [b.line, b.column] as const;
  const bEnd = [b.endLine, b.endColumn] as const;
  if (compare(bStart, bEnd) === 0) {
    return compare(aStart, bStart) <= 0 && compare(bStart, aEnd) <= 0;
  }
  if (compare(aStart, aEnd) === 0) {
    return compare(bStart, aStart) <= 0 && compare(aStart, bEnd) <= 0;
  }
  return compare(aStart, bEnd) < 0 && compare(bStart, aEnd) < 0;
}

function compare(
  a: readonly [number, number],
  b: readonly [number, number]
): number {
  return a[0] - b[0] || a[1] - b[1];
}

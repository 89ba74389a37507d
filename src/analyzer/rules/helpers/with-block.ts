/**
 * Building the exact edit that turns `name = <opening call>` into a `with`
 * block around the statements that use `name`. The caller decides which uses
 * are safe inside the block (e.g. eager reads of a file); this module only
 * checks the layout and produces the text.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { IFix } from '../../types';
import { sameNode } from '../../syntax/tree';

/** What {@link withBlockFix} needs. */
export interface IWithBlockRequest {
  /** Notebook index of the cell. */
  cell: number;
  /** The cell's original source (positions match the tree). */
  source: string;
  /** The cell's root node. */
  root: SyntaxNode;
  /** The `name = <call>` expression statement. */
  statement: SyntaxNode;
  /** The opening call (the assignment's right-hand side). */
  call: SyntaxNode;
  /** The bound name. */
  name: string;
  /**
   * True when this reference of `name` may move inside the block; `holder`
   * is the statement of the block that contains it.
   */
  isSafeUse(reference: SyntaxNode, holder: SyntaxNode): boolean;
}

/** Parents whose identifier child is not a reference to a variable. */
function isReference(identifier: SyntaxNode): boolean {
  const parent = identifier.parent;
  if (!parent) {
    return true;
  }
  if (parent.type === 'attribute') {
    return !sameNode(parent.childForFieldName('attribute'), identifier);
  }
  if (parent.type === 'keyword_argument') {
    return !sameNode(parent.childForFieldName('name'), identifier);
  }
  return true;
}

/** Every reference of variable `name` under `root` (attribute fields and keyword names excluded). */
export function referencesOf(root: SyntaxNode, name: string): SyntaxNode[] {
  return root
    .descendantsOfType('identifier')
    .filter(n => n.text === name && isReference(n));
}

/** Every variable reference under `root`, by name, in one pass. */
export function referenceIndex(root: SyntaxNode): Map<string, SyntaxNode[]> {
  const index = new Map<string, SyntaxNode[]>();
  for (const n of root.descendantsOfType('identifier')) {
    if (isReference(n)) {
      const list = index.get(n.text);
      if (list) {
        list.push(n);
      } else {
        index.set(n.text, [n]);
      }
    }
  }
  return index;
}

/**
 * A fix rewriting `name = call` as `with call as name:` whose body is the
 * following statements of the same block up to the last one that uses
 * `name` (indented by one level), or `...` when no statement uses it.
 * Null when the rewrite would not be exact: the statement shares its line
 * with other code, indentation uses tabs, `name` is used before the
 * statement, outside its block, or in a way `isSafeUse` rejects.
 */
export function withBlockFix(request: IWithBlockRequest): IFix | null {
  const { statement, call, name, source, root } = request;
  const lines = source.split('\n');
  const row = statement.startPosition.row;
  const prefix = lines[row].slice(0, statement.startPosition.column);
  const next = statement.nextSibling;
  if (
    !['block', 'module'].includes(statement.parent?.type ?? '') ||
    !/^ *$/.test(prefix) ||
    (next &&
      next.startPosition.row === statement.endPosition.row &&
      next.type !== 'comment')
  ) {
    return null;
  }
  const target = statement.firstNamedChild?.childForFieldName('left');
  let last: SyntaxNode | null = null;
  for (const reference of referencesOf(root, name)) {
    if (target && sameNode(reference, target)) {
      continue;
    }
    const holder = holderIn(reference, statement);
    if (!holder || !request.isSafeUse(reference, holder)) {
      return null;
    }
    if (!last || holder.startIndex > last.startIndex) {
      last = holder;
    }
  }
  const header = `with ${call.text} as ${name}:`;
  const unit = '    ';
  const body = last
    ? indentedTail(request, lines, last, unit)
    : `\n${prefix}${unit}...`;
  if (body === null) {
    return null;
  }
  const end = last ?? statement;
  return {
    description: last
      ? `Open with a \`with\` block around the statements that use ${name}`
      : `Open with a \`with\` block (write the code that uses ${name} in its body)`,
    edits: [
      {
        cell: request.cell,
        line: row,
        column: statement.startPosition.column,
        endLine: end.endPosition.row,
        endColumn: end.endPosition.column,
        text: header + body
      }
    ]
  };
}

/** The statement after `statement` in its block that contains `reference`. */
function holderIn(
  reference: SyntaxNode,
  statement: SyntaxNode
): SyntaxNode | null {
  const block = statement.parent!;
  let node = reference;
  while (node.parent && !sameNode(node.parent, block)) {
    node = node.parent;
  }
  return node.parent && node.startIndex >= statement.endIndex ? node : null;
}

/**
 * The source from the end of the statement to the end of `last`, every line
 * indented by `unit` except blank lines and lines that start inside a
 * multi-line string (their text is data). Null when tabs are involved.
 */
function indentedTail(
  request: IWithBlockRequest,
  lines: string[],
  last: SyntaxNode,
  unit: string
): string | null {
  const { statement } = request;
  const first = statement.endPosition.row + 1;
  const lastRow = last.endPosition.row;
  const inString = new Set<number>();
  for (const s of request.root.descendantsOfType('string')) {
    for (let r = s.startPosition.row + 1; r <= s.endPosition.row; r++) {
      inString.add(r);
    }
  }
  const out = [
    lines[statement.endPosition.row].slice(statement.endPosition.column)
  ];
  for (let r = first; r <= lastRow; r++) {
    const text =
      r === lastRow ? lines[r].slice(0, last.endPosition.column) : lines[r];
    if (inString.has(r) || text.trim() === '') {
      out.push(text);
      continue;
    }
    if (/^\s*\t/.test(text)) {
      return null;
    }
    out.push(unit + text);
  }
  return out.join('\n');
}

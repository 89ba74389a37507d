/**
 * Loops, scopes and the names bound in them, over the analyzer's syntax
 * trees: the enclosing `def`/`class`/module, the loop whose body re-runs a
 * node, what a loop runs once per item, and where a name is bound. Shared
 * by the rules and the dataflow pass; general syntax helpers (ranges,
 * dotted names, call arguments) are in `tree.ts`.
 */
import type { SyntaxNode } from '../syntax/syntax';
import { sameNode } from '../syntax/tree';
import { bindingTargets, boundIdentifiers } from './bindings';

export { boundIdentifiers };

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
  return bindingTargets(node).some(n => n.text === name);
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

/**
 * The value the identifier `name` was bound to earlier in its cell, when
 * that is a plain module-level assignment and the cell's only binding of
 * it (`keep = ["a", "b"]` then `df[keep]`); else null.
 */
export function valueBoundBefore(name: SyntaxNode): SyntaxNode | null {
  let root = name;
  while (root.parent) {
    root = root.parent;
  }
  const bound = bindingsOf(name.text, root);
  const only = bound.length === 1 ? bound[0] : null;
  return only?.type === 'assignment' &&
    only.parent?.parent === root &&
    only.endIndex <= name.startIndex &&
    only.childForFieldName('left')?.type === 'identifier'
    ? only.childForFieldName('right')
    : null;
}

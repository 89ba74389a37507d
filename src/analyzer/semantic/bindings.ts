/**
 * The binding model of the analyzer: which identifiers a statement binds.
 * One place for the node types that bind names (assignments, `for`
 * targets, walrus, `with ... as`, imports, `def`/`class`) and for the
 * patterns of names a target can be (`a, (b, *c)`); scopes.ts finds
 * bindings in a tree with it, the dataflow pass records them.
 */
import type { SyntaxNode } from '../syntax/syntax';
import { namedChildren } from '../syntax/tree';

/** Node types that are patterns of names (`a, (b, *c)`). */
const PATTERNS = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'expression_list',
  'list_splat_pattern',
  'list_splat',
  'parenthesized_expression',
  'as_pattern_target'
]);

/**
 * Identifiers bound by an assignment-like target; `other` receives the
 * target parts that are reads (`x[0]`, `obj.attr`).
 */
export function targetNames(
  target: SyntaxNode,
  other: (node: SyntaxNode) => void = () => undefined
): SyntaxNode[] {
  if (target.type === 'identifier') {
    return [target];
  }
  if (PATTERNS.has(target.type)) {
    return namedChildren(target).flatMap(child => targetNames(child, other));
  }
  other(target);
  return [];
}

/**
 * The identifiers a binding target binds: `a`, `a, b`, `(a, [b, *c])`.
 * Attribute and subscript targets bind no name and are skipped.
 */
export function boundIdentifiers(target: SyntaxNode | null): SyntaxNode[] {
  return target ? targetNames(target) : [];
}

/** Identifiers bound by one node (not descending into sub-statements). */
export function bindingTargets(node: SyntaxNode): SyntaxNode[] {
  switch (node.type) {
    case 'assignment':
    case 'augmented_assignment':
    case 'for_statement':
    case 'for_in_clause': {
      const left = node.childForFieldName('left');
      return left ? targetNames(left) : [];
    }
    case 'named_expression': {
      const name = node.childForFieldName('name');
      return name ? [name] : [];
    }
    case 'as_pattern': {
      // `with open(p) as f`, `except E as e`
      const alias = node.childForFieldName('alias');
      return alias ? targetNames(alias) : [];
    }
    case 'function_definition':
    case 'class_definition': {
      const name = node.childForFieldName('name');
      return name ? [name] : [];
    }
    case 'import_statement':
    case 'import_from_statement':
      return importNames(node);
    default:
      return [];
  }
}

/** Names bound by an import statement. */
export function importNames(node: SyntaxNode): SyntaxNode[] {
  const names: SyntaxNode[] = [];
  for (let i = 0; i < node.childCount; i++) {
    if (node.fieldNameForChild(i) !== 'name') {
      continue;
    }
    const child = node.child(i)!;
    if (child.type === 'aliased_import') {
      const alias = child.childForFieldName('alias');
      if (alias) {
        names.push(alias);
      }
    } else if (child.type === 'dotted_name') {
      const first = child.namedChild(0);
      if (first) {
        names.push(first);
      }
    }
  }
  return names;
}

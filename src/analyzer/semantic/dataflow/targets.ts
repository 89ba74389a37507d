/**
 * Binding targets: which identifiers a statement binds, and which
 * identifiers a function body binds locally (so its other reads are globals).
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { namedChildren, walk } from '../../syntax/tree';

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

/** Names a function binds locally: parameters and assignment targets. */
export function functionLocals(fn: SyntaxNode): Set<string> {
  const locals = new Set<string>();
  const globals = new Set<string>();
  const parameters = fn.childForFieldName('parameters');
  if (parameters) {
    for (const parameter of namedChildren(parameters)) {
      const name =
        parameter.type === 'identifier'
          ? parameter
          : (parameter.childForFieldName('name') ??
            namedChildren(parameter).find(c => c.type === 'identifier'));
      if (name) {
        locals.add(name.text);
      }
    }
  }
  const body = fn.childForFieldName('body');
  if (body) {
    walk(body, node => {
      const bound = bindingTargets(node);
      for (const name of bound) {
        locals.add(name.text);
      }
      if (
        node.type === 'global_statement' ||
        node.type === 'nonlocal_statement'
      ) {
        for (const name of namedChildren(node)) {
          globals.add(name.text);
        }
      }
      // Nested scopes bind their own names; their names are bound here.
      return !(
        node.type === 'function_definition' ||
        node.type === 'class_definition' ||
        node.type === 'lambda'
      );
    });
  }
  for (const name of globals) {
    locals.delete(name);
  }
  return locals;
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
    case 'as_pattern_target':
      return namedChildren(node).flatMap(child => targetNames(child));
    case 'function_definition':
    case 'class_definition': {
      const name = node.childForFieldName('name');
      return name ? [name] : [];
    }
    case 'aliased_import': {
      const alias = node.childForFieldName('alias');
      return alias ? [alias] : [];
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

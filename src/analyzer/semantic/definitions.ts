/**
 * Helpers over `def` and `class` definitions in tree-sitter-python trees:
 * decorators, the class that defines a method, a method's `self`. Pure
 * syntax, shared by the gc and data-structure rules.
 */
import type { SyntaxNode } from '../syntax/syntax';
import { dottedName } from '../syntax/tree';

/** The decorators of a `def` or `class` (empty when it has none). */
export function decoratorsOf(definition: SyntaxNode): SyntaxNode[] {
  const holder = definition.parent;
  return holder?.type === 'decorated_definition'
    ? holder.namedChildren.filter(c => c.type === 'decorator')
    : [];
}

/** The decorator's expression without `@` or call arguments: `functools.lru_cache`. */
export function decoratorName(decorator: SyntaxNode): string | null {
  const expression = decorator.namedChildren.find(c => c.type !== 'comment');
  if (!expression) {
    return null;
  }
  return dottedName(
    expression.type === 'call'
      ? expression.childForFieldName('function')
      : expression
  );
}

/** The class whose body directly defines `fn` (possibly decorated), or null. */
export function enclosingClass(fn: SyntaxNode): SyntaxNode | null {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const cls = holder.parent?.parent;
  return holder.parent?.type === 'block' && cls?.type === 'class_definition'
    ? cls
    : null;
}

/**
 * The instance parameter (`self`) of a method: the first parameter of a
 * `def` directly in a class body that is not a staticmethod or classmethod.
 */
export function instanceParameter(fn: SyntaxNode): string | null {
  if (!enclosingClass(fn)) {
    return null;
  }
  const kinds = decoratorsOf(fn).map(decoratorName);
  if (kinds.includes('staticmethod') || kinds.includes('classmethod')) {
    return null;
  }
  const first = fn.childForFieldName('parameters')?.namedChild(0);
  const name = first?.type === 'typed_parameter' ? first.namedChild(0) : first;
  return name?.type === 'identifier' ? name.text : null;
}

/**
 * Which identifiers a function body binds locally, so that its other
 * reads are globals. What one statement binds is `../bindings.ts`.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { namedChildren, walk } from '../../syntax/tree';
import { bindingTargets } from '../bindings';

export { importNames, targetNames } from '../bindings';

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

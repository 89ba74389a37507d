/**
 * What the largeness replay asks of earlier bindings: the binding of a name
 * when a cell starts, the notebook's own function a call calls, and whether
 * that function gives back its first argument (`df = reduce_mem_usage(df)`).
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { IBinding, INotebookDataflow } from '../../types';

/**
 * The binding of `name` in effect when the cell at `position` starts (its
 * last plain binding in an earlier cell), or null when none or deleted.
 */
export function boundBefore(
  dataflow: INotebookDataflow,
  name: string,
  position: number
): IBinding | null {
  for (let p = position - 1; p >= 0; p--) {
    const cell = dataflow.cells[p];
    if (cell.deletes.some(d => d.name === name)) {
      return null;
    }
    for (let d = cell.defs.length - 1; d >= 0; d--) {
      const def = cell.defs[d];
      if (def.name === name && def.kind !== 'augmented') {
        return def;
      }
    }
  }
  return null;
}

/**
 * The `def` binding of `name` in effect at the `index`-th binding of the
 * cell at `position` (earlier in that cell, else in an earlier cell).
 */
export function definitionBefore(
  dataflow: INotebookDataflow,
  name: string,
  position: number,
  index: number
): IBinding | null {
  const defs = dataflow.cells[position].defs;
  for (let d = index - 1; d >= 0; d--) {
    if (defs[d].name === name) {
      return defs[d].kind === 'def' ? defs[d] : null;
    }
  }
  const before = boundBefore(dataflow, name, position);
  return before?.kind === 'def' ? before : null;
}

/**
 * `def f(df, ...): ...; return df`: every `return` of the function (not of
 * functions nested in it) returns its first parameter, unchanged by name.
 */
export function returnsFirstParameter(statement: SyntaxNode): boolean {
  const fn =
    statement.type === 'function_definition'
      ? statement
      : statement.descendantsOfType('function_definition')[0];
  const first = fn?.childForFieldName('parameters')?.namedChildren[0];
  const body = fn?.childForFieldName('body');
  if (first?.type !== 'identifier' || !body) {
    return false;
  }
  const returns = body
    .descendantsOfType('return_statement')
    .filter(r => enclosingFunction(r) === fn);
  return (
    returns.length > 0 &&
    returns.every(r => r.namedChild(0)?.text === first.text)
  );
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda') {
      return n;
    }
  }
  return null;
}

/**
 * Integer constant expressions (`10_000`, `N * M`, `int(1e6)`) copied out of
 * the tree once, so a notebook rule can evaluate them on every re-run in
 * plain JavaScript with the notebook's current constants.
 */
import type { SyntaxNode } from './syntax';
import { callArguments } from './tree';

/** A constant expression; null for anything that is not one. */
export type ConstExpr =
  | { kind: 'integer'; value: number | null }
  | { kind: 'float'; value: number | null }
  | { kind: 'name'; name: string }
  | { kind: 'int'; argument: ConstExpr }
  | { kind: 'binary'; operator: string; left: ConstExpr; right: ConstExpr }
  | null;

/**
 * The constant expression a node spells: literals, names, parentheses,
 * `int(x)` and binary operators (other operators evaluate to null).
 */
export function constExpr(node: SyntaxNode | null): ConstExpr {
  if (!node) {
    return null;
  }
  switch (node.type) {
    case 'integer': {
      const value = Number(node.text.replace(/_/g, ''));
      return {
        kind: 'integer',
        value: Number.isSafeInteger(value) ? value : null
      };
    }
    case 'float': {
      const value = Number(node.text.replace(/_/g, ''));
      return { kind: 'float', value: Number.isFinite(value) ? value : null };
    }
    case 'identifier':
      return { kind: 'name', name: node.text };
    case 'parenthesized_expression':
      return node.namedChildCount === 1 ? constExpr(node.namedChild(0)) : null;
    case 'call': {
      const args = callArguments(node);
      return node.childForFieldName('function')?.text === 'int' &&
        args.positional.length === 1
        ? { kind: 'int', argument: constExpr(args.positional[0]) }
        : null;
    }
    case 'binary_operator':
      return {
        kind: 'binary',
        operator: node.childForFieldName('operator')?.text ?? '',
        left: constExpr(node.childForFieldName('left')),
        right: constExpr(node.childForFieldName('right'))
      };
    default:
      return null;
  }
}

/**
 * The integer value of a constant expression given known names: `* + - //
 * **` on integers; floats only inside `int(...)` (truncated).
 */
export function evaluate(
  expr: ConstExpr,
  constants: ReadonlyMap<string, number>,
  allowFloat = false
): number | null {
  if (!expr) {
    return null;
  }
  switch (expr.kind) {
    case 'integer':
      return expr.value;
    case 'float':
      return allowFloat && expr.value !== null ? Math.trunc(expr.value) : null;
    case 'name':
      return constants.get(expr.name) ?? null;
    case 'int':
      return evaluate(expr.argument, constants, true);
    case 'binary': {
      const left = evaluate(expr.left, constants, allowFloat);
      const right = evaluate(expr.right, constants, allowFloat);
      if (left === null || right === null) {
        return null;
      }
      switch (expr.operator) {
        case '*':
          return left * right;
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '//':
          return right === 0 ? null : Math.floor(left / right);
        case '**':
          return right >= 0 && right < 64 ? left ** right : null;
        default:
          return null;
      }
    }
  }
}

/** True when the expression's value depends on a name. */
export function mentionsNames(expr: ConstExpr): boolean {
  switch (expr?.kind) {
    case 'name':
      return true;
    case 'int':
      return mentionsNames(expr.argument);
    case 'binary':
      return mentionsNames(expr.left) || mentionsNames(expr.right);
    default:
      return false;
  }
}

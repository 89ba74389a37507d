/**
 * ML101: a string grown with `+=` (or `s = s + ...`) inside a loop. Every
 * step may copy the whole string built so far: quadratic time and a trail of
 * garbage copies.
 *
 * Only strings that grow across the notebook's own data are flagged: built
 * in top-level code and never restarted by an enclosing loop. A string
 * started afresh per item of an outer loop, or built inside a function,
 * holds one item's or one call's parts: the source does not show it is big
 * (and in a function CPython appends `s += part` in place).
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { ICellRule } from '../../types';
import { nodeRange } from '../../syntax/tree';
import {
  bindingsOf,
  enclosingLoop,
  enclosingScope,
  loopTargets
} from '../../semantic/scopes';
import { runsFewTimes } from '../../semantic/loop-count';

/** ML101: string concatenation inside a loop. */
export const ML101: ICellRule = {
  id: 'ML101',
  name: 'str-concat-in-loop',
  title: 'String built by concatenation inside a loop',
  severity: 'warning',
  scope: 'cell',
  docs: {
    why: 'Strings are immutable: `s += part` builds a new string holding everything so far, so a loop copies its output over and over (quadratic time, and each step briefly holds two full copies). Not flagged: loops that also read the string (`print(s)`, `len(s)`, `s[-1]`), where collecting parts would change the result; loops that run a handful of times over a literal (`for c in "abc"`, `for k in ["a", "b"]`, `range(10)`), where the copies are a few bytes; strings started afresh per item of an outer loop or built inside a function, which hold the parts of one item or one call (and in a function CPython appends `s += part` in place).',
    whatToDo:
      'Collect the parts in a list and join once after the loop (`"".join(parts)`), or write to an `io.StringIO`.',
    bad: 'report = ""\nfor row in rows:\n    report += f"{row.name}: {row.total}\\n"',
    good: 'parts = []\nfor row in rows:\n    parts.append(f"{row.name}: {row.total}\\n")\nreport = "".join(parts)'
  },
  check({ cell, report }) {
    // The cell's text has no a loop: nothing to find.
    if (!/\b(for|while)\b/.test(cell.masked)) {
      return;
    }
    const statements = cell.root.descendantsOfType([
      'augmented_assignment',
      'assignment'
    ]);
    for (const statement of statements) {
      const name = concatenatedName(statement);
      const loop = name ? enclosingLoop(statement) : null;
      if (!name || !loop || !accumulatesAcross(loop, name)) {
        continue;
      }
      if (
        enclosingScope(loop).type === 'function_definition' ||
        restartsPerItem(loop, name) ||
        !knownStringBefore(loop, name) ||
        readsInLoop(loop, name) ||
        runsFewTimes(statement, null)
      ) {
        continue;
      }
      const form = statement.type === 'augmented_assignment' ? '+=' : '= +';
      report({
        ...nodeRange(statement),
        message: `String \`${name}\` is rebuilt with \`${form}\` on every iteration of the loop; collect the parts in a list and \`"".join(...)\` them after the loop.`,
        fix: null
      });
    }
  }
};

/** `name` when `statement` is `name += ...` or `name = ... name + ...`. */
function concatenatedName(statement: SyntaxNode): string | null {
  const left = statement.childForFieldName('left');
  const right = statement.childForFieldName('right');
  if (left?.type !== 'identifier' || !right) {
    return null;
  }
  if (statement.type === 'augmented_assignment') {
    return statement.childForFieldName('operator')?.text === '+='
      ? left.text
      : null;
  }
  return statement.type === 'assignment' &&
    plusOperands(right).some(
      o => o.type === 'identifier' && o.text === left.text
    )
    ? left.text
    : null;
}

/** The operands of a chain of `+` (`a + b + c` → a, b, c). */
function plusOperands(node: SyntaxNode): SyntaxNode[] {
  if (
    node.type === 'binary_operator' &&
    node.childForFieldName('operator')?.text === '+'
  ) {
    return [node.childForFieldName('left'), node.childForFieldName('right')]
      .filter((n): n is SyntaxNode => !!n)
      .flatMap(plusOperands);
  }
  if (node.type === 'parenthesized_expression' && node.namedChildCount === 1) {
    return plusOperands(node.namedChild(0)!);
  }
  return [node];
}

/**
 * True when the loop does not rebind `name` other than by concatenating to
 * it: no fresh `name = ""` per iteration, not the loop variable.
 */
function accumulatesAcross(loop: SyntaxNode, name: string): boolean {
  if (loop.type === 'for_statement' && loopTargets(loop).includes(name)) {
    return false;
  }
  const body = loop.childForFieldName('body');
  return (
    !!body && bindingsOf(name, body).every(b => concatenatedName(b) === name)
  );
}

/**
 * True when a loop around the ones the string grows across starts it
 * afresh (`s = ""` per row): each string holds one item's parts.
 */
function restartsPerItem(loop: SyntaxNode, name: string): boolean {
  let outer = enclosingLoop(loop);
  while (outer && accumulatesAcross(outer, name)) {
    outer = enclosingLoop(outer);
  }
  return outer !== null;
}

/**
 * True when the loop reads `name` other than to concatenate to it
 * (`len(s)`, `print(s)`, `s[-1]`, `if s:`): collecting parts in a list
 * would change what those reads see.
 */
function readsInLoop(loop: SyntaxNode, name: string): boolean {
  for (const id of loop.descendantsOfType('identifier')) {
    if (id.text !== name) {
      continue;
    }
    const statement = id.parent;
    if (!statement || concatenatedName(statement) !== name) {
      // `name = name + x`: the operand itself is part of the concatenation
      const chain = concatenationOf(id);
      if (!chain) {
        return true;
      }
    }
  }
  return false;
}

/** The `name = name + ...` statement `id` is a direct `+` operand of. */
function concatenationOf(id: SyntaxNode): SyntaxNode | null {
  let node: SyntaxNode | null = id.parent;
  while (
    node &&
    (node.type === 'binary_operator' ||
      node.type === 'parenthesized_expression')
  ) {
    node = node.parent;
  }
  return node?.type === 'assignment' && concatenatedName(node) === id.text
    ? node
    : null;
}

/**
 * True when the last binding of `name` in the loop's scope before the loop
 * (or, failing that, the parameter) makes it a `str`.
 */
function knownStringBefore(loop: SyntaxNode, name: string): boolean {
  const scope = enclosingScope(loop);
  const body =
    scope.type === 'module' ? scope : scope.childForFieldName('body');
  if (!body) {
    return false;
  }
  const before = bindingsOf(name, body).filter(
    b => b.endIndex <= loop.startIndex
  );
  // `s += x` keeps a str a str: look through them to the binding that
  // made `s` (`s = ""`), unless one of them adds a string literal.
  for (let i = before.length - 1; i >= 0; i--) {
    const binding = before[i];
    if (isStringAssignment(binding, name)) {
      return true;
    }
    if (
      binding.type !== 'augmented_assignment' ||
      binding.childForFieldName('operator')?.text !== '+='
    ) {
      return false;
    }
  }
  return scope.type === 'function_definition' && isStringParameter(scope, name);
}

function isStringAssignment(binding: SyntaxNode, name: string): boolean {
  if (binding.childForFieldName('left')?.text !== name) {
    return false;
  }
  // `s += "text"` before the loop: already grown as a string
  if (binding.type === 'augmented_assignment') {
    const right = binding.childForFieldName('right');
    return (
      binding.childForFieldName('operator')?.text === '+=' &&
      !!right &&
      isStringExpression(right)
    );
  }
  if (binding.type !== 'assignment') {
    return false;
  }
  const right = binding.childForFieldName('right');
  const annotation = binding.childForFieldName('type');
  return annotation?.text === 'str' || (!!right && isStringExpression(right));
}

function isStringParameter(fn: SyntaxNode, name: string): boolean {
  const parameters = fn.childForFieldName('parameters')?.namedChildren ?? [];
  return parameters.some(p => {
    const id =
      p.type === 'identifier'
        ? p
        : (p.childForFieldName('name') ?? p.namedChild(0));
    if (id?.text !== name) {
      return false;
    }
    const value = p.childForFieldName('value');
    return (
      p.childForFieldName('type')?.text === 'str' ||
      (p.type === 'default_parameter' && !!value && isStringExpression(value))
    );
  });
}

/** True when the expression certainly evaluates to a `str`. */
function isStringExpression(node: SyntaxNode): boolean {
  switch (node.type) {
    case 'string':
      return !isBytes(node);
    case 'concatenated_string':
      return !!node.namedChild(0) && !isBytes(node.namedChild(0)!);
    case 'parenthesized_expression':
      return (
        node.namedChildCount === 1 && isStringExpression(node.namedChild(0)!)
      );
    case 'conditional_expression': {
      const [whenTrue, , whenFalse] = node.namedChildren;
      return (
        !!whenTrue &&
        !!whenFalse &&
        isStringExpression(whenTrue) &&
        isStringExpression(whenFalse)
      );
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (fn?.type === 'identifier') {
        return fn.text === 'str';
      }
      // "sep".join(...), "{}".format(...)
      const object =
        fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      return (
        !!object &&
        isStringExpression(object) &&
        ['join', 'format', 'strip', 'upper', 'lower', 'replace'].includes(
          fn!.childForFieldName('attribute')?.text ?? ''
        )
      );
    }
    case 'binary_operator': {
      const operator = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) {
        return false;
      }
      if (operator === '+') {
        return isStringExpression(left) || isStringExpression(right);
      }
      if (operator === '%') {
        return isStringExpression(left);
      }
      if (operator === '*') {
        return (
          (isStringExpression(left) && right.type === 'integer') ||
          (isStringExpression(right) && left.type === 'integer')
        );
      }
      return false;
    }
    default:
      return false;
  }
}

function isBytes(string: SyntaxNode): boolean {
  const start = string.namedChild(0);
  return start?.type === 'string_start' && /^[a-zA-Z]*[bB]/.test(start.text);
}

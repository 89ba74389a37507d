/**
 * How many times a loop runs, when the source says so: a loop over a short
 * literal (`for c in ["a", "b"]`, `for ch in "word"`, `for k, v in
 * {"lr": 0.1}.items()`), over `range(<literal>)`, or over a name bound to such
 * a literal earlier in the same scope. Rules whose cost grows with the number
 * of iterations (a string rebuilt per step, instances created per step, a
 * container filled per call) read it to stay silent on loops that run a
 * handful of times: the memory they would save is a few bytes.
 */
import type { SyntaxNode } from '../syntax/syntax';
import { bindingsOf, enclosingLoop, enclosingScope } from './scopes';
import { callArguments } from '../syntax/tree';
import { constExpr, evaluate } from '../syntax/const-expr';

/**
 * At or below this many iterations in all, a loop's per-iteration cost is
 * small enough not to report (a literal written out in a cell is always
 * below it; `range(1000)` of small parts stays well under a MiB).
 */
export const FEW_ITERATIONS = 1000;

const LITERAL_COLLECTIONS = new Set(['list', 'tuple', 'set', 'dictionary']);
const NO_CONSTANTS: ReadonlyMap<string, number> = new Map();

/**
 * The number of times `loop` (a `for` statement or a comprehension's
 * `for_in_clause`) runs its body, when its iterable is a literal, a range of
 * literals or a name bound to a literal; null when unknown (data, `while`).
 */
export function knownIterations(loop: SyntaxNode): number | null {
  if (loop.type !== 'for_statement' && loop.type !== 'for_in_clause') {
    return null;
  }
  return iterableLength(loop.childForFieldName('right'), loop, 0);
}

/**
 * True when `node` runs at most `few` ({@link FEW_ITERATIONS}) times in all because
 * every loop around it (up to `outside`, a loop or scope that is not counted;
 * by default the enclosing `def`/module) has a small known count. A node
 * in no loop at all runs once; a `while` loop or a loop over data is unknown,
 * so the answer is false.
 */
export function runsFewTimes(
  node: SyntaxNode,
  outside: SyntaxNode | null = null,
  comprehensions = false,
  few = FEW_ITERATIONS
): boolean {
  let total = 1;
  for (
    let loop = enclosingLoop(node, { comprehensions });
    loop && loop !== outside;
    loop = enclosingLoop(loop, { comprehensions })
  ) {
    const clauses =
      loop.type === 'for_statement' || loop.type === 'while_statement'
        ? [loop]
        : loop.namedChildren.filter(c => c.type === 'for_in_clause');
    for (const clause of clauses) {
      const count = knownIterations(clause);
      if (count === null) {
        return false;
      }
      total *= count;
    }
    if (total > few) {
      return false;
    }
  }
  return true;
}

/** The length of an iterable expression when the source spells it. */
function iterableLength(
  node: SyntaxNode | null,
  at: SyntaxNode,
  depth: number
): number | null {
  if (!node || depth > 3) {
    return null;
  }
  if (LITERAL_COLLECTIONS.has(node.type)) {
    return node.namedChildren.some(
      c => c.type === 'list_splat' || c.type === 'dictionary_splat'
    )
      ? null
      : node.namedChildren.filter(c => c.type !== 'comment').length;
  }
  switch (node.type) {
    case 'string':
      return stringLength(node);
    case 'parenthesized_expression':
      return node.namedChildCount === 1
        ? iterableLength(node.namedChild(0), at, depth)
        : null;
    case 'identifier':
      return lengthOfName(node.text, at, depth);
    case 'call':
      return callLength(node, at, depth);
    case 'subscript':
      return sliceLength(node, at, depth);
    default:
      return null;
  }
}

/**
 * `items[:16]`, `items[2:10]`: at most the slice's literal span (or the
 * sliced literal's length, when shorter).
 */
function sliceLength(
  subscript: SyntaxNode,
  at: SyntaxNode,
  depth: number
): number | null {
  const indices = subscript.childrenForFieldName('subscript');
  const slice = indices.length === 1 ? indices[0] : null;
  if (slice?.type !== 'slice') {
    return null;
  }
  // `[a:b:s]`: the parts around the colons, null where left out
  const parts: (SyntaxNode | null)[] = [null];
  for (const child of slice.children) {
    if (child.type === ':') {
      parts.push(null);
    } else if (child.isNamed) {
      parts[parts.length - 1] = child;
    }
  }
  const [start, stop, step] = parts.map(part =>
    part ? evaluate(constExpr(part), NO_CONSTANTS, true) : null
  );
  const whole = iterableLength(
    subscript.childForFieldName('value'),
    at,
    depth + 1
  );
  if (
    (parts[2] && step !== 1) ||
    (parts[0] && (start === null || start < 0)) ||
    stop === null ||
    stop < 0
  ) {
    return whole;
  }
  const span = Math.max(0, stop - (start ?? 0));
  return whole === null ? span : Math.min(span, whole);
}

function callLength(
  call: SyntaxNode,
  at: SyntaxNode,
  depth: number
): number | null {
  const fn = call.childForFieldName('function');
  const args = callArguments(call).positional;
  if (fn?.type === 'attribute') {
    // {...}.items() / .keys() / .values() of a literal dict (or a name of one)
    const method = fn.childForFieldName('attribute')?.text ?? '';
    return ['items', 'keys', 'values'].includes(method) && args.length === 0
      ? iterableLength(fn.childForFieldName('object'), at, depth + 1)
      : null;
  }
  switch (fn?.type === 'identifier' ? fn.text : '') {
    case 'range':
      return rangeLength(args);
    case 'enumerate':
    case 'reversed':
    case 'sorted':
    case 'list':
    case 'tuple':
    case 'set':
      return args.length >= 1 ? iterableLength(args[0], at, depth + 1) : null;
    case 'zip': {
      // zip stops at its shortest argument: any known length bounds it
      const known = args
        .map(a => iterableLength(a, at, depth + 1))
        .filter((n): n is number => n !== null);
      return known.length > 0 ? Math.min(...known) : null;
    }
    default:
      return null;
  }
}

/** `range(stop)`, `range(start, stop)`, `range(start, stop, step)`. */
function rangeLength(args: readonly SyntaxNode[]): number | null {
  const values = args.map(a => evaluate(constExpr(a), NO_CONSTANTS, true));
  if (values.length === 0 || values.some(v => v === null)) {
    return null;
  }
  const [a, b, step = 1] = values as number[];
  const [start, stop] = values.length === 1 ? [0, a] : [a, b];
  if (step === 0) {
    return null;
  }
  return Math.max(0, Math.ceil((stop - start) / step));
}

/** The characters of a plain string literal (no interpolation). */
function stringLength(node: SyntaxNode): number | null {
  const parts = node.namedChildren;
  if (parts.some(p => p.type === 'interpolation')) {
    return null;
  }
  return parts
    .filter(p => p.type === 'string_content' || p.type === 'escape_sequence')
    .reduce(
      (n, p) => n + (p.type === 'escape_sequence' ? 1 : p.text.length),
      0
    );
}

/**
 * The length of the literal `name` was last bound to before `at` in the
 * same scope, when that binding is a plain assignment of a literal and the
 * name is never grown in place (`.append`, `+=`) in the scope.
 */
function lengthOfName(
  name: string,
  at: SyntaxNode,
  depth: number
): number | null {
  const scope = enclosingScope(at);
  const body =
    scope.type === 'module' ? scope : scope.childForFieldName('body');
  if (!body) {
    return null;
  }
  const bindings = bindingsOf(name, body);
  const before = bindings.filter(b => b.endIndex <= at.startIndex);
  const last = before[before.length - 1];
  if (
    !last ||
    last.type !== 'assignment' ||
    last.childForFieldName('left')?.type !== 'identifier' ||
    bindings.some(b => b.type === 'augmented_assignment') ||
    grownInPlace(name, body)
  ) {
    return null;
  }
  return iterableLength(last.childForFieldName('right'), last, depth + 1);
}

const GROWING_METHODS = new Set([
  'append',
  'extend',
  'insert',
  'update',
  'add',
  'setdefault'
]);

/** True when `name.append(...)`-like calls may grow the literal in `body`. */
function grownInPlace(name: string, body: SyntaxNode): boolean {
  return (
    body.descendantsOfType('call').some(call => {
      const fn = call.childForFieldName('function');
      return (
        fn?.type === 'attribute' &&
        fn.childForFieldName('object')?.text === name &&
        GROWING_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')
      );
    }) ||
    body
      .descendantsOfType('subscript')
      .some(
        s =>
          s.parent?.type === 'assignment' &&
          s.parent.childForFieldName('left') === s &&
          s.childForFieldName('value')?.text === name
      )
  );
}

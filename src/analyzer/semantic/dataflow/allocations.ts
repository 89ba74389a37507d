/**
 * Allocations the source sizes: numpy arrays and random draws of literal
 * dimensions, comprehensions over a literal `range`, at least a million
 * elements (the largeness of `np.zeros((1000, 1000))`).
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { calleeName, namedChildren } from '../../syntax/tree';

/** Smallest literal element count considered large for allocations. */
const LARGE_COUNT = 1e6;

/** True when the shape argument is made of literals whose product is ≥ 1e6. */
export function largeShape(args: SyntaxNode | null): boolean {
  const first = args ? namedChildren(args)[0] : undefined;
  if (!first || first.type === 'keyword_argument') {
    return false;
  }
  return largeDims(shapeDims(first));
}

/**
 * `np.random.rand(a, b)` takes dimensions as arguments; the others a
 * `size=` (absent: one scalar). Large only with literal dimensions.
 */
export function largeRandom(name: string, args: SyntaxNode | null): boolean {
  const all = args ? namedChildren(args) : [];
  const size = all.find(
    a =>
      a.type === 'keyword_argument' &&
      a.childForFieldName('name')?.text === 'size'
  );
  if (size) {
    const value = size.childForFieldName('value');
    return !!value && largeDims(shapeDims(value));
  }
  if (name === 'rand' || name === 'randn') {
    return all.length > 0 && largeDims(all);
  }
  return (name === 'random' || name === 'random_sample') && largeShape(args);
}

/** Literal dimensions whose product is at least {@link LARGE_COUNT}. */
function largeDims(dims: SyntaxNode[]): boolean {
  const count = literalCount(dims);
  return count !== null && count >= LARGE_COUNT;
}

/** The dimensions of a shape argument: `(a, b)`, `[a, b]` or one `n`. */
export function shapeDims(shape: SyntaxNode): SyntaxNode[] {
  return shape.type === 'tuple' || shape.type === 'list'
    ? namedChildren(shape)
    : [shape];
}

/** The product of literal dimensions, or null when one is not a literal. */
export function literalCount(dims: readonly SyntaxNode[]): number | null {
  let count = 1;
  for (const dim of dims) {
    const n = literalInt(dim);
    if (n === null) {
      return null;
    }
    count *= n;
  }
  return count;
}

/** A comprehension whose first `for` iterates `range(N)` with N ≥ 1e6. */
export function overLargeRange(node: SyntaxNode): boolean {
  const clause = namedChildren(node).find(c => c.type === 'for_in_clause');
  const iterable = clause?.childForFieldName('right');
  if (
    !iterable ||
    iterable.type !== 'call' ||
    calleeName(iterable) !== 'range'
  ) {
    return false;
  }
  const args = namedChildren(iterable.childForFieldName('arguments')!);
  const stop = args.length === 1 ? args[0] : args[1];
  const n = stop ? literalInt(stop) : null;
  return n !== null && n >= LARGE_COUNT;
}

/** Value of an integer literal expression (`10_000`, `10**6`, `1e6`, `a*b`). */
export function literalInt(node: SyntaxNode): number | null {
  switch (node.type) {
    case 'integer':
    case 'float': {
      const n = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(n) ? n : null;
    }
    case 'parenthesized_expression':
      return node.namedChild(0) ? literalInt(node.namedChild(0)!) : null;
    case 'binary_operator': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const a = left ? literalInt(left) : null;
      const b = right ? literalInt(right) : null;
      const op = node.childForFieldName('operator')?.text;
      if (a === null || b === null) {
        return null;
      }
      return op === '*'
        ? a * b
        : op === '**'
          ? a ** b
          : op === '+'
            ? a + b
            : null;
    }
    default:
      return null;
  }
}

/**
 * Views: values that share another value's buffer (`a[1:5]`, `a[:, 0]`,
 * `df["col"]`, `df.iloc[:100]`, `df.head(10)`, `df.values`). While a view
 * lives its base does too: deleting the base's name frees nothing, and a
 * name rebound to a view of itself (`arr = arr[:, 13:114]`) still holds the
 * whole value.
 */
import type { SyntaxNode } from '../../syntax/syntax';

/**
 * Methods and attributes whose result shares its object's buffer (pandas
 * and numpy views): while the result lives, deleting the base frees nothing.
 */
const VIEW_METHODS = new Set([
  'head',
  'tail',
  'to_numpy',
  'view',
  'ravel',
  'squeeze'
]);
const VIEW_ATTRIBUTES = new Set(['values', 'T', 'array', 'real', 'imag']);
const INDEXERS = new Set(['iloc', 'loc', 'iat', 'at']);

/**
 * The name whose buffer `value` is a view or piece of: `a[1:5]`, `a[:, 0]`,
 * `df["col"]`, `df.iloc[:100]`, `df.head(10)`, `df.values`, `df.values[:, 1:]`;
 * null for anything else.
 */
export function viewBase(value: SyntaxNode): string | null {
  let node: SyntaxNode | null = value;
  let viewed = false;
  for (;;) {
    if (node?.type === 'subscript' && isView(node)) {
      node = node.childForFieldName('value');
    } else if (node?.type === 'call') {
      const fn = node.childForFieldName('function');
      if (
        fn?.type !== 'attribute' ||
        !VIEW_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')
      ) {
        return null;
      }
      node = fn.childForFieldName('object');
    } else if (
      node?.type === 'attribute' &&
      (VIEW_ATTRIBUTES.has(node.childForFieldName('attribute')?.text ?? '') ||
        (viewed &&
          INDEXERS.has(node.childForFieldName('attribute')?.text ?? '')))
    ) {
      node = node.childForFieldName('object');
    } else {
      return viewed && node?.type === 'identifier' ? node.text : null;
    }
    viewed = true;
  }
}

/** `a[1:5]`, `a[:, 0]`, `df["col"]`: a slice or one column, not a copy. */
function isView(subscript: SyntaxNode): boolean {
  const indices = subscript.childrenForFieldName('subscript');
  return (
    indices.some(index => index.type === 'slice') ||
    (indices.length === 1 &&
      (indices[0].type === 'string' || indices[0].type === 'integer'))
  );
}

/**
 * The name `value` slices (`arr[:, 13:114]` → `arr`; a slice, not one item
 * or a column), else null.
 */
export function sliceBase(value: SyntaxNode): string | null {
  const base =
    value.type === 'subscript' ? value.childForFieldName('value') : null;
  const sliced = value
    .childrenForFieldName('subscript')
    .some(
      index =>
        index.type === 'slice' || index.descendantsOfType('slice').length > 0
    );
  return base?.type === 'identifier' && sliced ? base.text : null;
}

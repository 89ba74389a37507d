/**
 * Where a notebook ends for ML201: the last cell that does something, past
 * trailing cells that are empty or, in a finished notebook (no kernel, no
 * cell being edited), only print, look at values or write files.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { namedChildren } from '../../syntax/tree';
import type { INotebookRuleContext, IParsedCell } from '../../types';
import { perCell } from '../helpers/cell-cache';

/**
 * The dataflow position of the last code cell that does something: the
 * trailing cells `skip` accepts (`isEmpty`, `isLight`) do not make a name
 * dead.
 */
export function lastMeaningfulPosition(
  context: INotebookRuleContext,
  skip: (cell: IParsedCell) => boolean
): number {
  // both lists are in notebook order: walk them back together
  const { cells } = context;
  const flows = context.dataflow.cells;
  let at = cells.length - 1;
  const skipped = (index: number): boolean => {
    while (at >= 0 && cells[at].index > index) {
      at--;
    }
    return at >= 0 && cells[at].index === index && skip(cells[at]);
  };
  let position = flows.length - 1;
  while (position > 0 && skipped(flows[position].cell)) {
    position--;
  }
  return position;
}

/** A cell holding only comments or `pass` (cached per parsed cell). */
export const isEmpty = perCell(cell =>
  namedChildren(cell.root).every(
    node => node.type === 'comment' || node.type === 'pass_statement'
  )
);

/**
 * A cell that needs no memory of its own: only comments, `pass`, imports,
 * literal assignments and light statements — a look at a value (`x`,
 * `x[0]`, `print(...)`, `display(...)`, `.head()`) or a write to a file
 * (`df.to_csv(...)`). A finished notebook that ends with such cells has
 * nothing left to use the memory for (not while the user edits it or its
 * kernel runs: they go on working). Cached per parsed cell.
 */
export const isLight = perCell(cell =>
  namedChildren(cell.root).every(node => {
    switch (node.type) {
      case 'comment':
      case 'pass_statement':
      case 'print_statement': // Python 2 `print x`
      case 'import_statement':
      case 'import_from_statement':
        return true;
      case 'expression_statement': {
        const inner = node.namedChild(0);
        return !!inner && isLightExpression(inner);
      }
      default:
        return false;
    }
  })
);

/**
 * Calls that print, show, measure or write a value without keeping new
 * memory (`len(x)`, `x.sum()`, one image made from an array to look at it).
 * Plots are not among them: drawing allocates, and a plot is work the
 * freed memory can serve.
 */
const LIGHT_CALLS = new Set([
  'print',
  'display',
  'head',
  'tail',
  'describe',
  'info',
  'len',
  'type',
  'sum',
  'mean',
  'min',
  'max',
  'std',
  'count',
  'nunique',
  'fromarray',
  'to_csv',
  'to_excel',
  'to_parquet',
  'to_json',
  'to_pickle',
  'to_feather',
  'close'
]);
const LITERALS = new Set([
  'integer',
  'float',
  'string',
  'true',
  'false',
  'none',
  'list',
  'tuple',
  'dictionary',
  'set'
]);

function isLightExpression(node: SyntaxNode): boolean {
  switch (node.type) {
    case 'identifier':
    case 'attribute':
    case 'subscript':
      return true;
    case 'assignment': {
      const right = node.childForFieldName('right');
      return (
        node.childForFieldName('left')?.type === 'identifier' &&
        !!right &&
        LITERALS.has(right.type)
      );
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const name =
        fn?.type === 'attribute'
          ? fn.childForFieldName('attribute')?.text
          : fn?.text;
      return LIGHT_CALLS.has(name ?? '');
    }
    default:
      return LITERALS.has(node.type);
  }
}

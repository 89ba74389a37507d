/**
 * ML202: a cell ending in a bare expression that evaluates a large object.
 * IPython keeps the displayed value in `Out[n]` and `_`, so it stays alive
 * even after `del`.
 */
import type { Node } from 'web-tree-sitter';
import { insertAt, namedChildren, nodeRange } from '../ast';
import { isLargeProducer, replayLarge } from '../dataflow/producers';
import type { INotebookRule } from '../types';

/** ML202: a large value displayed as the cell's result. */
export const ML202: INotebookRule = {
  id: 'ML202',
  name: 'displayed-large-result',
  title: 'Large object displayed as the cell result',
  severity: 'info',
  scope: 'notebook',
  docs: {
    why: 'IPython stores every displayed cell result in `Out[n]` and `_`. A large DataFrame or array shown that way stays referenced by the output cache, so `del df` does not free it.',
    whatToDo:
      'End the line with `;` to suppress the result, call `display(df)` (which does not store it), or show a summary such as `df.head()`.',
    bad: 'df = pd.read_parquet("big.parquet")\ndf',
    good: 'df = pd.read_parquet("big.parquet")\ndf.head()'
  },
  check({ cells, dataflow, live, thresholdBytes, report }) {
    const largeAfter = replayLarge(dataflow);
    for (const cell of cells) {
      if (/^\s*%%capture\b/.test(cell.source)) {
        continue;
      }
      const top = namedChildren(cell.root).filter(n => n.type !== 'comment');
      const last = top[top.length - 1];
      if (
        last?.type !== 'expression_statement' ||
        last.nextSibling?.type === ';'
      ) {
        continue;
      }
      const expression = last.namedChild(0);
      const large = largeAfter.get(cell.index) ?? new Set<string>();
      if (!expression || last.namedChildCount !== 1) {
        continue;
      }
      const what = describe(expression, large, live?.sizes, thresholdBytes);
      if (!what) {
        continue;
      }
      report(cell.index, {
        ...nodeRange(expression),
        message: `The cell displays ${what}; IPython keeps it alive in \`Out\` and \`_\`. End the line with \`;\` or use \`display(...)\`.`,
        fix: {
          description: 'Add `;` to suppress the output',
          edits: [
            insertAt(
              cell.index,
              last.endPosition.row,
              last.endPosition.column,
              ';'
            )
          ]
        }
      });
    }
  }
};

/** A short description of the large displayed value, or null. */
function describe(
  expression: Node,
  large: ReadonlySet<string>,
  sizes: ReadonlyMap<string, number> | undefined,
  threshold: number
): string | null {
  if (expression.type === 'identifier') {
    const size = sizes?.get(expression.text);
    if (size !== undefined) {
      return size >= threshold ? `\`${expression.text}\`` : null;
    }
    return large.has(expression.text) ? `\`${expression.text}\`` : null;
  }
  if (expression.type === 'call' && isLargeProducer(expression, large)) {
    const text = expression.text;
    return `the result of \`${text.length > 40 ? text.slice(0, 37) + '...' : text}\``;
  }
  return null;
}

import type { SyntaxNode } from '../../syntax/syntax';
import type { ICellRule } from '../../types';
import { cellCalls } from '../helpers/calls';

const REDUCERS = new Set(['sum', 'any', 'all', 'min', 'max', 'set', 'tuple']);

/** ML502: a list comprehension passed straight to a reducer. */
export const ML502: ICellRule = {
  id: 'ML502',
  name: 'list-in-reducer',
  title: 'List comprehension passed to a reducing call',
  severity: 'info',
  scope: 'cell',
  docs: {
    why: 'The brackets build the whole list in memory before the reducer sees the first item; a generator expression feeds it one item at a time.',
    whatToDo: 'Drop the brackets: `sum(x * x for x in xs)`.',
    bad: 'total = sum([x * x for x in range(10_000_000)])',
    good: 'total = sum(x * x for x in range(10_000_000))'
  },
  check({ cell, report }) {
    for (const { call, dotted } of cellCalls(cell)) {
      // Only bare-name calls of a reducer can be flagged.
      if (dotted === null || !REDUCERS.has(dotted)) {
        continue;
      }
      const callee = call?.childForFieldName('function');
      const args = call?.childForFieldName('arguments');
      if (!callee || !args || callee.type !== 'identifier') {
        continue;
      }
      if (!REDUCERS.has(callee.text) || args.namedChildCount !== 1) {
        continue;
      }
      const only = args.namedChild(0);
      if (only?.type !== 'list_comprehension') {
        continue;
      }
      report({
        ...range(call!),
        message: `${callee.text}() receives a list comprehension; pass a generator expression instead.`,
        fix: {
          description: 'Drop the brackets (generator expression)',
          edits: [
            {
              cell: cell.index,
              ...range(only),
              endLine: only.startPosition.row,
              endColumn: only.startPosition.column + 1,
              text: ''
            },
            {
              cell: cell.index,
              line: only.endPosition.row,
              column: only.endPosition.column - 1,
              endLine: only.endPosition.row,
              endColumn: only.endPosition.column,
              text: ''
            }
          ]
        }
      });
    }
  }
};

function range(node: SyntaxNode) {
  return {
    line: node.startPosition.row,
    column: node.startPosition.column,
    endLine: node.endPosition.row,
    endColumn: node.endPosition.column
  };
}

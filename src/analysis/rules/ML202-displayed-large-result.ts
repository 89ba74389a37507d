/**
 * ML202: a cell ending in a bare expression that evaluates a large object.
 * IPython keeps the displayed value in `Out[n]` and `_`, so it stays alive
 * even after `del`.
 */
import { insertAt, namedChildren, nodeRange } from '../ast';
import { largeAfter } from '../dataflow/by-name';
import {
  ILargeForm,
  isLarge,
  largeForm,
  largeness
} from '../dataflow/producers';
import type { INotebookRule, IRange } from '../types';
import { perCell } from './util/cell-cache';

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
    const displays = new Map<number, IDisplay>();
    for (const cell of cells) {
      const display = displayOf(cell);
      if (display) {
        displays.set(cell.index, display);
      }
    }
    if (displays.size === 0) {
      return;
    }
    // Largeness of names once each display cell has run, from the replay
    // shared with ML201.
    const replay = largeness(dataflow);
    const described = new Map<number, string | null>();
    dataflow.cells.forEach((flow, position) => {
      const display = displays.get(flow.cell);
      if (display) {
        const large = {
          has: (name: string) => largeAfter(dataflow, replay, name, position)
        };
        described.set(
          flow.cell,
          describe(display, large, live?.sizes, thresholdBytes)
        );
      }
    });
    for (const cell of cells) {
      const display = displays.get(cell.index);
      if (!display) {
        continue;
      }
      const what = described.has(cell.index)
        ? described.get(cell.index)
        : describe(display, NONE, live?.sizes, thresholdBytes);
      if (!what) {
        continue;
      }
      report(cell.index, {
        ...display.range,
        message: `The cell displays ${what}; IPython keeps it alive in \`Out\` and \`_\`. End the line with \`;\` or use \`display(...)\`.`,
        fix: {
          description: 'Add `;` to suppress the output',
          edits: [
            insertAt(cell.index, display.end.row, display.end.column, ';')
          ]
        }
      });
    }
  }
};

const NONE: ReadonlySet<string> = new Set();

/** The displayed result of a cell that may be large (per parsed cell). */
interface IDisplay {
  range: IRange;
  /** End of the last statement, where `;` goes. */
  end: { row: number; column: number };
  /** The bare name displayed, or null for a call. */
  name: string | null;
  /** For a call: its largeness and (shortened) text. */
  form: ILargeForm;
  text: string;
}

const displayOf = perCell((cell): IDisplay | null => {
  if (/^\s*%%capture\b/.test(cell.source)) {
    return null;
  }
  const top = namedChildren(cell.root).filter(n => n.type !== 'comment');
  const last = top[top.length - 1];
  if (last?.type !== 'expression_statement' || last.nextSibling?.type === ';') {
    return null;
  }
  const expression = last.namedChild(0);
  if (!expression || last.namedChildCount !== 1) {
    return null;
  }
  const common = { range: nodeRange(expression), end: last.endPosition };
  if (expression.type === 'identifier') {
    return { ...common, name: expression.text, form: NEVER, text: '' };
  }
  if (expression.type === 'call') {
    const text = expression.text;
    return {
      ...common,
      name: null,
      form: largeForm(expression),
      text: text.length > 40 ? text.slice(0, 37) + '...' : text
    };
  }
  return null;
});

const NEVER: ILargeForm = { always: false, names: [] };

/** A short description of the large displayed value, or null. */
function describe(
  display: IDisplay,
  large: Pick<ReadonlySet<string>, 'has'>,
  sizes: ReadonlyMap<string, number> | undefined,
  threshold: number
): string | null {
  const { name } = display;
  if (name !== null) {
    const size = sizes?.get(name);
    if (size !== undefined) {
      return size >= threshold ? `\`${name}\`` : null;
    }
    return large.has(name) ? `\`${name}\`` : null;
  }
  if (isLarge(display.form, large)) {
    return `the result of \`${display.text}\``;
  }
  return null;
}

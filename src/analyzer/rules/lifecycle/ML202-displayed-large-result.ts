/**
 * ML202: a cell result that IPython keeps alive in `Out[n]`/`_` beyond the
 * user's own reference: a bare name bound to a known-large object that a
 * later cell rebinds or deletes (the old object then lives on in `Out`), or
 * a bare call that builds a new known-large object nobody else holds.
 * A bare name never rebound costs nothing extra: `Out` holds the same
 * object as the name.
 */
import {
  insertAt,
  namedChildren,
  nodeRange,
  shortCode
} from '../../syntax/tree';
import { formatBytes } from '../../../common/bytes';
import {
  bindingAfter,
  largeAfter,
  nameGroups,
  namePositions
} from '../../semantic/dataflow/by-name';
import {
  DEF_PREFIX,
  largeName,
  largeness
} from '../../semantic/dataflow/largeness';
import {
  ILargeForm,
  isLarge,
  largeForm
} from '../../semantic/dataflow/producers';
import type { INotebookDataflow, INotebookRule, IRange } from '../../types';
import { cellByIndex } from '../../semantic/dataflow';
import { perCell } from '../helpers/cell-cache';
import { viewBase } from '../../semantic/dataflow/views';

/** ML202: a large value displayed as the cell's result. */
export const ML202: INotebookRule = {
  id: 'ML202',
  name: 'displayed-large-result',
  title: 'Large object displayed as the cell result',
  severity: 'info',
  scope: 'notebook',
  docs: {
    why: 'IPython stores every displayed cell result in `Out[n]` and `_`. While the name still holds the same object that costs nothing extra; but once a later cell rebinds or deletes the name, the old large object lives on in the output cache — and a large object built by a bare call (`pd.read_csv(...)` as the last line, or a chain in parentheses over several lines) is held by nobody but the cache. A displayed `df.T` counts as `df`: a copy, or a view that keeps it; a displayed view of a large frame (`df = kag.iloc[1:]`, then `df`) keeps its base once both names are rebound or deleted. Not flagged: results that are small or `None` (`df.head()`, `.describe()`, `.shape`, aggregations, `inplace=True` calls, `.plot()`), lines ending with `;`, bare names never rebound later, and loads the notebook shows to be small (text in memory, a file of at most 1 MiB beside the notebook, a shape its saved outputs printed), as for ML201.',
    whatToDo:
      'Show it with `display(df)`, which renders the same output without caching it in `Out` (the quick fix), or show a summary such as `df.head()`.',
    bad: 'df = pd.read_parquet("big.parquet")\ndf\n# %% a later cell\ndf = df.dropna()',
    good: 'df = pd.read_parquet("big.parquet")\ndisplay(df)\n# %% a later cell\ndf = df.dropna()'
  },
  check({ cells, dataflow, live, thresholdBytes, report }) {
    // Largeness of names once each display cell has run, from the replay
    // shared with ML201.
    const replay = largeness(dataflow);
    // large once the cell at `position` has run (one object for the run)
    const largeAt = {
      position: 0,
      has(name: string): boolean {
        return largeName(
          name,
          dataflow,
          n => largeAfter(dataflow, replay, n, this.position),
          n => bindingAfter(dataflow, n, this.position)
        );
      }
    };
    dataflow.cells.forEach((flow, position) => {
      const cell = cellByIndex(cells, flow.cell);
      const display = cell && displayOf(cell);
      if (!cell || !display) {
        return;
      }
      const later =
        display.name === null
          ? null
          : rebindingCell(dataflow, position, display.name);
      if (display.name !== null && later === null) {
        return;
      }
      largeAt.position = position;
      const described =
        describe(display, largeAt, live?.sizes, thresholdBytes) ??
        describeView(display, dataflow, position, largeAt, live?.sizes);
      const what =
        described && later !== null
          ? display.text
            ? `${described}, and cell ${later + 1} later rebinds \`${display.name}\``
            : `${described}, which cell ${later + 1} later rebinds`
          : described;
      if (!what) {
        return;
      }
      const { range } = display;
      report(cell.index, {
        ...range,
        message: `The cell displays ${what}; IPython keeps that object alive in \`Out\` and \`_\` after your own name lets go of it. Show it with \`display(...)\`, which does not cache it.`,
        fix: {
          description: 'Show it with display(...), not cached in Out',
          edits: [
            insertAt(cell.index, range.line, range.column, 'display('),
            insertAt(cell.index, range.endLine, range.endColumn, ')')
          ]
        }
      });
    });
  }
};

/**
 * The notebook index of the first cell after `position` that rebinds or
 * deletes `name` at module level, or null.
 */
function rebindingCell(
  dataflow: INotebookDataflow,
  position: number,
  name: string
): number | null {
  for (const p of namePositions(dataflow).get(name) ?? []) {
    if (p <= position) {
      continue;
    }
    const group = nameGroups(dataflow.cells[p]).get(name);
    if (group && (group.defs.length > 0 || group.deletes.length > 0)) {
      return dataflow.cells[p].cell;
    }
  }
  return null;
}

/** The displayed result of a cell that may be large (per parsed cell). */
interface IDisplay {
  range: IRange;
  /** End of the last statement, where `;` goes. */
  end: { row: number; column: number };
  /** The name displayed (bare or transposed: `df`, `df.T`), or null for a call. */
  name: string | null;
  /** For a call: its largeness. */
  form: ILargeForm;
  /** The (shortened) code displayed, when it is not the bare name. */
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
  if (last.namedChildCount !== 1) {
    return null;
  }
  let expression = last.namedChild(0);
  // `(df\n  .assign(...)\n  .rename(...))`: a chain written over lines
  while (expression?.type === 'parenthesized_expression') {
    expression =
      namedChildren(expression).find(n => n.type !== 'comment') ?? null;
  }
  if (!expression) {
    return null;
  }
  const common = { range: nodeRange(expression), end: last.endPosition };
  if (expression.type === 'identifier') {
    return { ...common, name: expression.text, form: NEVER, text: '' };
  }
  const transposed = expression.childForFieldName('object');
  if (
    expression.type === 'attribute' &&
    expression.childForFieldName('attribute')?.text === 'T' &&
    transposed?.type === 'identifier'
  ) {
    // `df.T`: a copy of the frame, or a view that keeps it: either way
    // `Out` holds its memory once the name moves on
    return {
      ...common,
      name: transposed.text,
      form: NEVER,
      text: expression.text
    };
  }
  if (expression.type === 'call') {
    if (
      /\binplace\s*=\s*True\b/.test(
        expression.childForFieldName('arguments')?.text ?? ''
      )
    ) {
      return null; // `inplace=True` methods return None
    }
    return {
      ...common,
      name: null,
      form: largeForm(expression),
      text: shortCode(expression)
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
    const shown = display.text || name;
    const size = sizes?.get(name);
    if (size !== undefined) {
      return size >= threshold
        ? `\`${shown}\` (${formatBytes(size)} in the kernel)`
        : null;
    }
    return large.has(name) ? `\`${shown}\`` : null;
  }
  if (isLarge(display.form, large) && !ownFunction(display.form, large)) {
    return `the result of \`${display.text}\``;
  }
  return null;
}

/**
 * A displayed name bound to a view of a large value (`df = kag.iloc[1:]`,
 * then `df`): `Out` keeps the view, and the view its base, once both names
 * are rebound or deleted. Without a kernel size only.
 */
function describeView(
  display: IDisplay,
  dataflow: INotebookDataflow,
  position: number,
  large: Pick<ReadonlySet<string>, 'has'>,
  sizes: ReadonlyMap<string, number> | undefined
): string | null {
  const { name } = display;
  if (name === null || sizes?.has(name)) {
    return null;
  }
  const value = bindingAfter(dataflow, name, position)?.value;
  const base = value ? viewBase(value) : null;
  if (
    base === null ||
    !large.has(base) ||
    rebindingCell(dataflow, position, base) === null
  ) {
    return null;
  }
  return `\`${display.text || name}\` (a view that keeps \`${base}\`)`;
}

/**
 * True when the displayed call is of a function the notebook defines
 * (`def read_excel(path): ...` may return None): it is not a library load.
 */
function ownFunction(
  form: ILargeForm,
  large: Pick<ReadonlySet<string>, 'has'>
): boolean {
  return !!form.callee && large.has(DEF_PREFIX + form.callee);
}

/**
 * ML504: a whole CSV loaded into a DataFrame that is only ever used for a
 * few column aggregations.
 */
import { cellByIndex } from '../../semantic/dataflow';
import type { SyntaxNode } from '../../syntax/syntax';
import {
  callArguments,
  calleeName,
  namedChildren,
  nodeAt
} from '../../syntax/tree';
import { readsSmallFile } from '../../semantic/dataflow/largeness';
import {
  INameGroup,
  nameGroups,
  perName
} from '../../semantic/dataflow/by-name';
import type {
  IBinding,
  INotebookRule,
  IParsedCell,
  IReference,
  IReport
} from '../../types';
import { perObject } from '../helpers/cell-cache';

const READERS = /^(pd|pandas)\.read_(csv|table)$/;
const LIMITING = new Set(['chunksize', 'usecols', 'nrows', 'iterator']);
const AGGREGATIONS = new Set([
  'sum',
  'mean',
  'median',
  'min',
  'max',
  'count',
  'nunique',
  'value_counts',
  'std',
  'var',
  'agg',
  'aggregate',
  'quantile',
  'unique',
  'size',
  'prod',
  'first',
  'last',
  'describe'
]);

/** ML504: read everything, use a few columns' aggregates. */
export const ML504: INotebookRule = {
  id: 'ML504',
  name: 'load-then-aggregate',
  title: 'Whole file loaded only to aggregate a few columns',
  severity: 'info',
  scope: 'notebook',
  docs: {
    why: 'pd.read_csv without usecols or chunksize materializes every column of every row, although the notebook only computes a few column aggregates from it (`df["a"].sum()`, by groups: `groupby`, `pivot_table`). Not flagged: files known to be small (at most 1 MiB beside the notebook, teaching datasets).',
    whatToDo:
      'Read only the needed columns (`usecols=[...]`), aggregate chunk by chunk (`chunksize=`), or use a lazy engine (polars `scan_csv`, DuckDB).',
    bad: 'df = pd.read_csv("sales.csv")\ntotal = df["amount"].sum()',
    good: 'df = pd.read_csv("sales.csv", usecols=["amount"])\ntotal = df["amount"].sum()'
  },
  check({ cells, dataflow, report }) {
    const names = new Set<string>();
    for (const flow of dataflow.cells) {
      loadedNames(flow.defs).forEach(name => names.add(name));
    }
    const found: IFound[] = [];
    for (const name of names) {
      found.push(...loadsOf(dataflow, name, cells));
    }
    // Report in the order the loads were finished, notebook order.
    found.sort((a, b) => compareKeys(a.key, b.key));
    for (const load of found) {
      const { call, name } = load;
      load.report ??= {
        line: call.startPosition.row,
        column: call.startPosition.column,
        endLine: call.endPosition.row,
        endColumn: call.endPosition.column,
        message: `\`${name}\` is only used for column aggregations; read just those columns (\`usecols=\`) or use \`chunksize=\`.`,
        fix: null
      };
      report(load.cell, load.report);
    }
  }
};

/** A load used only for aggregations: what ML504 reports. */
interface IFound {
  key: number[];
  cell: number;
  call: SyntaxNode;
  name: string;
  /** Its report, once made. */
  report?: IReport;
}

/**
 * The loads of one name used only for aggregations. They depend only on
 * that name's bindings and reads: kept between runs (perName).
 */
const loadsOf = perName((dataflow, name, positions, cells): IFound[] => {
  const found: IFound[] = [];
  let load: ILoad | null = null;
  const finish = (key: number[]) => {
    if (load && load.ok && load.uses > 0) {
      found.push({ key, cell: load.cell, call: load.call, name });
    }
    load = null;
  };
  for (const position of positions) {
    const flow = dataflow.cells[position];
    const cell = cellByIndex(cells, flow.cell);
    if (!cell) {
      continue;
    }
    for (const event of eventsOf(nameGroups(flow).get(name)!)) {
      const key = [position, ...event.key];
      if (event.def) {
        finish(key);
        const value = event.def.value;
        if (value && fullRead(event.def)) {
          load = {
            cell: flow.cell,
            call: value,
            uses: 0,
            ok: true,
            key
          };
          const source = callArguments(value).positional[0];
          if (readsSmallFile(source, dataflow, position)) {
            load = null; // a file known to be small: nothing to save
          }
        }
      } else if (event.ref && load) {
        load.uses++;
        load.ok &&=
          event.ref.inFunction === null && aggregation(cell, event.ref);
      }
    }
  }
  finish([Infinity, ...((load as ILoad | null)?.key ?? [])]);
  return found;
});

/** A full read bound to a name, and how its later reads use it. */
interface ILoad {
  cell: number;
  call: SyntaxNode;
  uses: number;
  ok: boolean;
  /** When it was loaded (see {@link compareKeys}). */
  key: number[];
}

/** Order of event keys: cell position, row, column, def/read, index. */
function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) {
      return d;
    }
  }
  return 0;
}

/** The names a cell binds to a full `pd.read_csv(...)`. */
const loadedNames = perObject((defs: readonly IBinding[]) =>
  defs.filter(def => def.value && fullRead(def)).map(def => def.name)
);

interface IEvent {
  /** Position in the cell's event order: row, column, def (0) or read (1), index. */
  key: number[];
  def: IBinding | null;
  ref: IReference | null;
}

/**
 * One name's bindings and reads in one cell, in order (once per cell). A
 * binding takes effect after its whole statement (`df = df.x()` reads the
 * old df first).
 */
const eventsOf = perObject((group: INameGroup): IEvent[] =>
  [
    ...group.defs.map((d, i): IEvent => {
      const at = d.statement.endPosition;
      return {
        key: [at.row, at.column, 0, group.defIndices[i]],
        def: d,
        ref: null
      };
    }),
    ...group.refs.map((r, i): IEvent => ({
      key: [r.range.line, r.range.column, 1, group.refIndices[i]],
      def: null,
      ref: r
    }))
  ].sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1])
);

/** {@link isAggregation} of a read, once per read. */
function aggregation(cell: IParsedCell, ref: IReference): boolean {
  let known = aggregations.get(ref);
  if (known === undefined) {
    known = isAggregation(cell, ref.range);
    aggregations.set(ref, known);
  }
  return known;
}

const aggregations = new WeakMap<IReference, boolean>();

const reads = new WeakMap<IBinding, boolean>();

function fullRead(binding: IBinding): boolean {
  let known = reads.get(binding);
  if (known === undefined) {
    known = binding.value?.type === 'call' && isFullRead(binding.value);
    reads.set(binding, known);
  }
  return known;
}

/** `pd.read_csv(path)` without any argument limiting what is read. */
function isFullRead(call: SyntaxNode): boolean {
  const name = calleeName(call);
  const args = call.childForFieldName('arguments');
  if (!name || !READERS.test(name) || !args) {
    return false;
  }
  return !namedChildren(args).some(
    arg =>
      arg.type === 'dictionary_splat' ||
      (arg.type === 'keyword_argument' &&
        LIMITING.has(arg.childForFieldName('name')?.text ?? ''))
  );
}

/** `x["a"]`, `x["a", "b"]`, `x[["a", "b"]]`: a selection of named columns. */
function selectsColumns(subscript: SyntaxNode): boolean {
  const keys = subscript.childrenForFieldName('subscript');
  return (
    keys.length > 0 &&
    keys.every(
      key =>
        key.type === 'string' ||
        (key.type === 'list' &&
          namedChildren(key).every(k => k.type === 'string'))
    )
  );
}

/**
 * True when the name at `range` is used as `df["col"].agg()`,
 * `df.col.agg()`, `df[["a", "b"]].agg()`, `df.groupby(...).agg()` or
 * `df.pivot_table(...)`.
 */
function isAggregation(
  cell: IParsedCell,
  range: { line: number; column: number; endLine: number; endColumn: number }
): boolean {
  const name = nodeAt(cell.root, range);
  const parent = name?.parent;
  if (!name || name.type !== 'identifier' || !parent) {
    return false;
  }
  let column: SyntaxNode | null = null;
  if (
    parent.type === 'subscript' &&
    parent.childForFieldName('value')?.id === name.id
  ) {
    const key = parent.childForFieldName('subscript');
    if (
      key &&
      (key.type === 'string' ||
        (key.type === 'list' &&
          namedChildren(key).every(k => k.type === 'string')))
    ) {
      column = parent;
    }
  } else if (parent.type === 'attribute') {
    const attribute = parent.childForFieldName('attribute')?.text ?? '';
    if (attribute === 'groupby') {
      const call = parent.parent;
      return call?.type === 'call' && aggregated(call);
    }
    if (attribute === 'pivot_table') {
      return parent.parent?.type === 'call';
    }
    if (!AGGREGATIONS.has(attribute)) {
      column = parent;
    }
  }
  return column !== null && aggregated(column);
}

/**
 * `<node>.<aggregation>(...)`, also through column selections
 * (`df.groupby("k")["a"].mean()`, `g[["a", "b"]].agg(...)`).
 */
function aggregated(node: SyntaxNode): boolean {
  let at = node;
  while (
    at.parent?.type === 'subscript' &&
    at.parent.childForFieldName('value')?.id === at.id &&
    selectsColumns(at.parent)
  ) {
    at = at.parent;
  }
  const attribute = at.parent;
  if (
    attribute?.type !== 'attribute' ||
    attribute.childForFieldName('object')?.id !== at.id
  ) {
    return false;
  }
  const method = attribute.childForFieldName('attribute')?.text ?? '';
  return AGGREGATIONS.has(method) && attribute.parent?.type === 'call';
}

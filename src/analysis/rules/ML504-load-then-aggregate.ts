/**
 * ML504: a whole CSV loaded into a DataFrame that is only ever used for a
 * few column aggregations.
 */
import type { Node } from 'web-tree-sitter';
import { calleeName, namedChildren, nodeAt } from '../ast';
import type { IBinding, INotebookRule, IParsedCell } from '../types';

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
    why: 'pd.read_csv without usecols or chunksize materializes every column of every row, although the notebook only computes a few column aggregates from it.',
    whatToDo:
      'Read only the needed columns (`usecols=[...]`), aggregate chunk by chunk (`chunksize=`), or use a lazy engine (polars `scan_csv`, DuckDB).',
    bad: 'df = pd.read_csv("sales.csv")\ntotal = df["amount"].sum()',
    good: 'df = pd.read_csv("sales.csv", usecols=["amount"])\ntotal = df["amount"].sum()'
  },
  check({ cells, dataflow, report }) {
    const byIndex = new Map(cells.map(cell => [cell.index, cell]));
    const loads = new Map<
      string,
      { cell: number; call: Node; uses: number; ok: boolean }
    >();
    const finish = (name: string) => {
      const load = loads.get(name);
      loads.delete(name);
      if (load && load.ok && load.uses > 0) {
        report(load.cell, {
          line: load.call.startPosition.row,
          column: load.call.startPosition.column,
          endLine: load.call.endPosition.row,
          endColumn: load.call.endPosition.column,
          message: `\`${name}\` is only used for column aggregations; read just those columns (\`usecols=\`) or use \`chunksize=\`.`,
          fix: null
        });
      }
    };
    for (const flow of dataflow.cells) {
      const cell = byIndex.get(flow.cell);
      if (!cell) {
        continue;
      }
      // A binding takes effect after its whole statement (`df = df.x()`
      // reads the old df first).
      const events = [
        ...flow.defs.map(d => ({
          at: d.statement.endPosition,
          def: d,
          ref: null
        })),
        ...flow.refs.map(r => ({
          at: { row: r.range.line, column: r.range.column },
          def: null,
          ref: r
        }))
      ].sort((a, b) => a.at.row - b.at.row || a.at.column - b.at.column);
      for (const event of events) {
        if (event.def) {
          finish(event.def.name);
          const value = event.def.value;
          if (value?.type === 'call' && fullRead(event.def)) {
            loads.set(event.def.name, {
              cell: flow.cell,
              call: value,
              uses: 0,
              ok: true
            });
          }
        } else if (event.ref) {
          const load = loads.get(event.ref.name);
          if (load) {
            load.uses++;
            load.ok &&=
              event.ref.inFunction === null &&
              isAggregation(cell, event.ref.range);
          }
        }
      }
    }
    for (const name of [...loads.keys()]) {
      finish(name);
    }
  }
};

const reads = new WeakMap<IBinding, boolean>();

function fullRead(binding: IBinding): boolean {
  let known = reads.get(binding);
  if (known === undefined) {
    known = binding.value !== null && isFullRead(binding.value);
    reads.set(binding, known);
  }
  return known;
}

/** `pd.read_csv(path)` without any argument limiting what is read. */
function isFullRead(call: Node): boolean {
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

/**
 * True when the name at `range` is used as `df["col"].agg()`,
 * `df.col.agg()`, `df[["a", "b"]].agg()` or `df.groupby(...).agg()`.
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
  let column: Node | null = null;
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
    if (!AGGREGATIONS.has(attribute)) {
      column = parent;
    }
  }
  return column !== null && aggregated(column);
}

/** `<node>.<aggregation>(...)` */
function aggregated(node: Node): boolean {
  const attribute = node.parent;
  if (
    attribute?.type !== 'attribute' ||
    attribute.childForFieldName('object')?.id !== node.id
  ) {
    return false;
  }
  const method = attribute.childForFieldName('attribute')?.text ?? '';
  return AGGREGATIONS.has(method) && attribute.parent?.type === 'call';
}

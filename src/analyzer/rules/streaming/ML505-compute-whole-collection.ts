/**
 * ML505: `.compute()` (or `.to_pandas()`, `client.gather(...)`,
 * `dask.compute(...)`) of a whole dask collection loaded from files, with no
 * reduction or selection in between: the whole dataset lands in the kernel.
 */
import { cellByIndex } from '../../semantic/dataflow';
import type { SyntaxNode } from '../../syntax/syntax';
import { calleeName, namedChildren, nodeAt, walk } from '../../syntax/tree';
import type {
  IBinding,
  INotebookDataflow,
  INotebookRule,
  IParsedCell,
  IReference
} from '../../types';
import { nameGroups, namePositions } from '../../semantic/dataflow/by-name';
import { perCell } from '../helpers/cell-cache';

/** The cell's text mentions dask (cached: cells are asked on every run). */
const mentionsDask = perCell(cell => cell.masked.includes('dask'));

/** Dask readers of whole file sets, by their usual import aliases. */
const READERS =
  /^(dd|dask\.dataframe)\.read_\w+$|^(da|dask\.array)\.from_(zarr|npy_stack|tiledb)$|^(db|dask\.bag)\.(read_text|read_avro)$/;
/** Methods that bring a collection into the kernel. */
const TO_KERNEL = new Set(['compute', 'to_pandas']);
/** Functions whose arguments are brought into the kernel. */
const GATHERS = /^(\w+\.gather|dask\.compute)$/;

/** ML505: a whole dask collection computed into the kernel. */
export const ML505: INotebookRule = {
  id: 'ML505',
  name: 'compute-whole-collection',
  title: 'Whole dask collection computed into the kernel',
  severity: 'warning',
  scope: 'notebook',
  docs: {
    why: "A dask collection read from files is usually larger than the kernel machine, which is why it lives on the workers. `.compute()`, `.to_pandas()` or `client.gather(...)` of the whole collection copies every partition into the kernel process at once (plus the concatenation), and the kernel may be killed. Flagged when nothing needs the whole result in the kernel: it is then reduced, sampled or described (`.describe()`, `.groupby(...)`, `.head()`, a column, `len(...)`; the workers could have done that first), shown bare, or never used. Not flagged: a result that is really needed whole (handed to another library, such as a graph\'s edge list to networkx).",
    whatToDo:
      'Reduce on the workers first and compute only the result (`.groupby(...).agg(...)`, a column selection, a filter, `.head()`), keep the data on the workers with `.persist()`, or write results from the workers (`.to_parquet(...)`).',
    bad: 'import dask.dataframe as dd\nddf = dd.read_parquet("events/")\ndf = ddf.compute()\ndaily = df.groupby("day").amount.sum()',
    good: 'import dask.dataframe as dd\nddf = dd.read_parquet("events/")\ndaily = ddf.groupby("day").amount.sum().compute()\nddf.to_parquet("clean/")'
  },
  check({ cells, dataflow, report }) {
    // dask collections need `import dask...`: notebooks without it are done.
    if (!cells.some(mentionsDask)) {
      return;
    }
    // The reader call each name is bound to now (notebook order), if any.
    const loaded = new Map<string, SyntaxNode>();
    dataflow.cells.forEach((flow, position) => {
      const cell = cellByIndex(cells, flow.cell);
      if (!cell) {
        return;
      }
      for (const call of directComputes(cell)) {
        if (reducedInKernel(call, position, dataflow, cells)) {
          report(flow.cell, finding(call, 'the collection read here'));
        }
      }
      for (const event of events(flow.defs, flow.refs, flow.deletes)) {
        if (event.def) {
          const reader = readerOf(event.def, loaded);
          if (reader) {
            loaded.set(event.def.name, reader);
          } else {
            loaded.delete(event.def.name);
          }
        } else if (event.del) {
          loaded.delete(event.del.name);
        } else if (event.ref && loaded.has(event.ref.name)) {
          const call =
            event.ref.inFunction === null ? toKernel(cell, event.ref) : null;
          if (call && reducedInKernel(call, position, dataflow, cells)) {
            report(flow.cell, finding(call, `\`${event.ref.name}\``));
          }
        }
      }
    });
  }
};

function finding(call: SyntaxNode, what: string) {
  return {
    line: call.startPosition.row,
    column: call.startPosition.column,
    endLine: call.endPosition.row,
    endColumn: call.endPosition.column,
    message: `${what} is a whole dask collection loaded from files: this brings all of it into the kernel's memory; reduce or select first, or write from the workers (\`to_parquet\`).`,
    fix: null
  };
}

interface IEvent {
  at: [number, number];
  def?: IBinding;
  ref?: IReference;
  del?: IReference;
}

/** A cell's bindings (after their statement), reads and deletes, in order. */
function events(
  defs: readonly IBinding[],
  refs: readonly IReference[],
  deletes: readonly IReference[]
): IEvent[] {
  const out: IEvent[] = [
    ...defs.map(def => ({
      at: [def.statement.endPosition.row, def.statement.endPosition.column] as [
        number,
        number
      ],
      def
    })),
    ...refs.map(ref => ({
      at: [ref.range.line, ref.range.column] as [number, number],
      ref
    })),
    ...deletes.map(del => ({
      at: [del.range.line, del.range.column] as [number, number],
      del
    }))
  ];
  return out.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1]);
}

/** `dd.read_*(...)` (or `x.persist()` of a loaded `x`, which keeps it whole). */
function readerOf(
  def: IBinding,
  loaded: Map<string, SyntaxNode>
): SyntaxNode | null {
  const value = def.value;
  if (value?.type !== 'call') {
    return null;
  }
  if (isReader(value)) {
    return value;
  }
  const fn = value.childForFieldName('function');
  const object = fn?.childForFieldName('object');
  if (
    fn?.type === 'attribute' &&
    fn.childForFieldName('attribute')?.text === 'persist' &&
    object?.type === 'identifier'
  ) {
    return loaded.get(object.text) ?? null;
  }
  return null;
}

function isReader(call: SyntaxNode): boolean {
  const name = calleeName(call);
  return !!name && READERS.test(name);
}

/** `name.compute()`, `name.to_pandas()`, `client.gather(name)`, `dask.compute(name)`. */
function toKernel(cell: IParsedCell, ref: IReference): SyntaxNode | null {
  const name = nodeAt(cell.root, ref.range);
  const parent = name?.parent;
  if (!name || name.type !== 'identifier' || !parent) {
    return null;
  }
  if (
    parent.type === 'attribute' &&
    parent.childForFieldName('object')?.id === name.id &&
    TO_KERNEL.has(parent.childForFieldName('attribute')?.text ?? '') &&
    parent.parent?.type === 'call'
  ) {
    return parent.parent;
  }
  const call = parent.parent;
  if (parent.type === 'argument_list' && call?.type === 'call') {
    const callee = calleeName(call);
    const positional = namedChildren(parent).filter(
      a => a.type !== 'keyword_argument'
    );
    if (
      callee &&
      GATHERS.test(callee) &&
      positional.some(a => a.id === name.id)
    ) {
      return call;
    }
  }
  return null;
}

/** `dd.read_parquet(...).compute()` in one expression. */
function directComputes(cell: IParsedCell): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  walk(cell.root, node => {
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      const object = fn?.childForFieldName('object');
      if (
        fn?.type === 'attribute' &&
        TO_KERNEL.has(fn.childForFieldName('attribute')?.text ?? '') &&
        object?.type === 'call' &&
        isReader(object)
      ) {
        out.push(node);
      }
    }
  });
  return out;
}

/**
 * Methods (and functions) that reduce, sample or describe a frame: what
 * the workers could have done before the compute. A result used any other
 * way (handed whole to another library: a graph's edge list to networkx,
 * rows to a model) is really needed whole in the kernel.
 */
const REDUCERS = new Set([
  'describe',
  'head',
  'tail',
  'sample',
  'groupby',
  'agg',
  'aggregate',
  'mean',
  'sum',
  'min',
  'max',
  'count',
  'nunique',
  'value_counts',
  'median',
  'std',
  'quantile',
  'query',
  'loc',
  'iloc',
  'shape',
  'info'
]);

/**
 * True when the computed result is not needed whole in the kernel: it is
 * then reduced, sampled or described (chained, `.compute().describe()`, or
 * through the name it is bound to, in this cell or a later one), shown
 * bare, or never used at all. A result handed whole to another call
 * (`nx.from_pandas_edgelist(edges)`) is needed whole: not flagged.
 */
function reducedInKernel(
  call: SyntaxNode,
  at: number,
  dataflow: INotebookDataflow,
  cells: readonly IParsedCell[]
): boolean {
  if (reduces(call)) {
    return true;
  }
  const parent = call.parent;
  if (parent?.type === 'expression_statement') {
    return true; // shown bare
  }
  const target = parent?.childForFieldName('left');
  if (
    parent?.type !== 'assignment' ||
    parent.childForFieldName('right')?.id !== call.id ||
    target?.type !== 'identifier'
  ) {
    return false;
  }
  const name = target.text;
  let used = false;
  for (const position of namePositions(dataflow).get(name) ?? []) {
    if (position < at) {
      continue;
    }
    const flow = dataflow.cells[position];
    const cell = cellByIndex(cells, flow.cell);
    for (const ref of nameGroups(flow).get(name)!.refs) {
      const node = cell ? nodeAt(cell.root, ref.range) : null;
      if (!node || (position === at && node.startIndex < call.endIndex)) {
        continue;
      }
      if (reduces(node)) {
        return true;
      }
      used = true;
    }
  }
  return !used;
}

/** `x.describe()`, `x["col"]`, `x.groupby(...)`, `len(x)` around `node`. */
function reduces(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (
    parent?.type === 'attribute' &&
    parent.childForFieldName('object')?.id === node.id
  ) {
    return REDUCERS.has(parent.childForFieldName('attribute')?.text ?? '');
  }
  if (
    parent?.type === 'subscript' &&
    parent.childForFieldName('value')?.id === node.id
  ) {
    return true; // a column or rows taken from it
  }
  const call = parent?.parent;
  return (
    parent?.type === 'argument_list' &&
    call?.type === 'call' &&
    calleeName(call) === 'len'
  );
}

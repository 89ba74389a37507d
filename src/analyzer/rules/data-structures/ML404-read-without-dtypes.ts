/**
 * ML404: a pandas read whose result is demonstrably used narrower than it is
 * read — cut to its first rows right away (→ `nrows=`), or only ever used
 * through a known set of columns in the following cells (→ `usecols=`,
 * `columns=` for parquet). With kernel facts (LV103 on the frame) the exact
 * `dtype={...}` for the same call. A plain `pd.read_csv(path)` is not
 * flagged: the source cannot tell whether the file is big or which columns
 * matter.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { callArguments, insertAt, nodeRange } from '../../syntax/tree';
import type {
  IBinding,
  IFix,
  INotebookRule,
  INotebookRuleContext,
  IParsedCell,
  ITextEdit
} from '../../types';
import { cellCalls } from '../helpers/calls';
import { perCell, perObject } from '../helpers/cell-cache';
import { perName } from '../../semantic/dataflow/by-name';
import { positionOfCell } from '../../semantic/dataflow';
import { cellAliases, qualify } from '../helpers/names';
import { readsSmallFile } from '../../semantic/dataflow/largeness';
import { stringValue } from '../../semantic/dataflow/sources';
import { columnsOfIndex, columnsUsed } from './columns-read';

const READERS = new Map([
  ['pandas.read_csv', 'pd.read_csv'],
  ['pandas.read_table', 'pd.read_table'],
  ['pandas.read_json', 'pd.read_json'],
  ['pandas.read_parquet', 'pd.read_parquet']
]);

/** A reader call of one cell. */
interface IRead {
  call: SyntaxNode;
  /** `pd.read_csv` as commonly written. */
  reader: string;
  /** The keyword selecting columns: `usecols`, or `columns` for parquet. */
  columnsKeyword: 'usecols' | 'columns';
}

/** ML404: a read whose result is used narrower than it is read. */
export const ML404: INotebookRule = {
  id: 'ML404',
  name: 'read-without-dtypes',
  title: 'Data read wider than it is used',
  severity: 'info',
  scope: 'notebook',
  docs: {
    why: 'pandas loads every row and column a reader is given, with 64-bit numbers and object strings. When the notebook then keeps only the first rows, or only ever touches a few columns (`df["a"]`, `df[["a", "b"]]`, `df.a`, `df[keep]` with `keep` a list the cell spells, `pd.read_csv(p)["a"]`), the rest is read, parsed and held for nothing — often most of the memory. Not flagged: plain reads whose result is used whole (displayed, described, plotted, passed to a function), reads of in-memory text (`StringIO`), files known to be small (≤ 1 MiB on disk, when `memlens lint` can see them), and calls that already pass the argument. The suggested column list keeps the columns the call itself names (`index_col=`, `parse_dates=`); with a positional `index_col=0` no list is suggested.',
    whatToDo:
      'Read only what you use: `nrows=` when you keep the first rows, `usecols=[...]` (`columns=[...]` for parquet) with the columns the notebook reads — the quick fix inserts the exact list. With a kernel, memlens also offers the exact `dtype={...}` that the loaded frame can use.',
    bad: 'trips = pd.read_csv("trips.csv")\nfares = trips["fare"].mean()\nby_city = trips[["city", "fare"]].groupby("city").sum()',
    good: 'trips = pd.read_csv("trips.csv", usecols=["fare", "city"])\nfares = trips["fare"].mean()\nby_city = trips[["city", "fare"]].groupby("city").sum()'
  },
  check(context) {
    const { cells, dataflow, report } = context;
    for (const cell of cells) {
      const position = positionOfCell(dataflow, cell.index);
      for (const read of readsOf(cell)) {
        // a file known to be small: narrowing the read saves nothing
        const source = callArguments(read.call).positional[0];
        if (readsSmallFile(source, dataflow, position)) {
          continue;
        }
        const found =
          firstRows(cell, read) ??
          liveDtypes(context, cell, read) ??
          columnsCutAtOnce(cell, read) ??
          knownColumns(context, cell, read);
        if (found) {
          report(cell.index, { ...nodeRange(read.call), ...found });
        }
      }
    }
  }
};

/** The reader calls of a cell that do not read in-memory text (cached). */
const readsOf = perCell(findReads);

const NO_READS: IRead[] = [];

function findReads(cell: IParsedCell): IRead[] {
  if (!cell.masked.includes('read_')) {
    return NO_READS;
  }
  const aliases = cellAliases(cell);
  const reads: IRead[] = [];
  for (const { call, dotted } of cellCalls(cell)) {
    const callee = qualify(dotted, aliases);
    const reader = callee ? READERS.get(callee) : undefined;
    if (!reader) {
      continue;
    }
    const { positional, splat } = callArguments(call);
    if (splat || fromMemory(positional[0])) {
      continue;
    }
    reads.push({
      call,
      reader,
      columnsKeyword: reader === 'pd.read_parquet' ? 'columns' : 'usecols'
    });
  }
  return reads;
}

/** `StringIO(...)`, `BytesIO(...)` or literal text with line breaks. */
function fromMemory(source: SyntaxNode | undefined): boolean {
  if (!source) {
    return false;
  }
  if (source.type === 'call') {
    const fn = source.childForFieldName('function')?.text ?? '';
    return /(^|\.)(StringIO|BytesIO)$/.test(fn);
  }
  return source.type === 'string' && source.text.includes('\\n');
}

type Found = { message: string; fix: IFix | null };

/** `pd.read_csv(p).head(1000)`, `.iloc[:1000]`, `[:1000]` → `nrows=1000`. */
function firstRows(cell: IParsedCell, read: IRead): Found | null {
  if (read.reader === 'pd.read_parquet' || read.reader === 'pd.read_json') {
    return null; // no nrows
  }
  const { keywords } = callArguments(read.call);
  if (keywords.has('nrows') || keywords.has('chunksize')) {
    return null;
  }
  const cut = cutOf(read.call);
  if (!cut) {
    return null;
  }
  const args = read.call.childForFieldName('arguments')!;
  const close = args.endPosition;
  const end = cut.node.endPosition;
  const edits: ITextEdit[] = [
    insertAt(cell.index, close.row, close.column - 1, `, nrows=${cut.rows}`),
    {
      cell: cell.index,
      line: close.row,
      column: close.column,
      endLine: end.row,
      endColumn: end.column,
      text: ''
    }
  ];
  return {
    message: `\`${read.reader}(...)\` reads every row and the result is cut to its first ${cut.rows} right away; pass \`nrows=${cut.rows}\` to read only those.`,
    fix: { description: `Read only the first ${cut.rows} rows (nrows=)`, edits }
  };
}

const cutOf = perObject(rowsCut);

/** The node that cuts `call` to its first rows, and how many. */
function rowsCut(call: SyntaxNode): { node: SyntaxNode; rows: number } | null {
  const parent = call.parent;
  // `.head(n)`
  if (
    parent?.type === 'attribute' &&
    parent.childForFieldName('attribute')?.text === 'head' &&
    parent.parent?.type === 'call'
  ) {
    const { positional, keywords } = callArguments(parent.parent);
    const n = positional[0] ?? keywords.get('n');
    const rows = n?.type === 'integer' ? Number(n.text.replace(/_/g, '')) : 5;
    return positional.length + keywords.size <= 1 &&
      (n === undefined || n.type === 'integer')
      ? { node: parent.parent, rows }
      : null;
  }
  // `[:n]` or `.iloc[:n]`
  const subscript =
    parent?.type === 'subscript'
      ? parent
      : parent?.type === 'attribute' &&
          parent.childForFieldName('attribute')?.text === 'iloc' &&
          parent.parent?.type === 'subscript'
        ? parent.parent
        : null;
  const indices = subscript?.childrenForFieldName('subscript') ?? [];
  const slice = indices.length === 1 ? indices[0] : null;
  if (!subscript || slice?.type !== 'slice') {
    return null;
  }
  const parts = slice.namedChildren;
  const text = slice.text.replace(/\s/g, '');
  if (parts.length !== 1 || parts[0].type !== 'integer' || !/^:\d/.test(text)) {
    return null;
  }
  return { node: subscript, rows: Number(parts[0].text.replace(/_/g, '')) };
}

/** With LV103 facts for the frame this read is bound to: the dtype mapping. */
function liveDtypes(
  context: INotebookRuleContext,
  cell: IParsedCell,
  read: IRead
): Found | null {
  const name = boundName(context, cell, read.call)?.name;
  const dtypes = name ? context.live?.dtypes?.get(name) : undefined;
  if (!name || !dtypes || Object.keys(dtypes).length === 0) {
    return null;
  }
  if (callArguments(read.call).keywords.has('dtype')) {
    return null;
  }
  const mapping = `{${Object.entries(dtypes)
    .map(
      ([column, dtype]) => `${JSON.stringify(column)}: ${JSON.stringify(dtype)}`
    )
    .join(', ')}}`;
  return {
    message: `\`${name}\` as loaded by \`${read.reader}(...)\` can use narrower dtypes (the kernel measured it): pass \`dtype=${mapping}\` to load it small.`,
    fix: {
      description: 'Load with the narrower dtypes measured in the kernel',
      edits: [appendArgument(cell.index, read.call, `dtype=${mapping}`)]
    }
  };
}

/**
 * `pd.read_csv(p)["revenue"]`, `pd.read_csv(p)[["a", "b"]]`: the result is
 * cut to named columns right away → `usecols=[...]` with them.
 */
function columnsCutAtOnce(cell: IParsedCell, read: IRead): Found | null {
  const subscript = read.call.parent;
  if (
    subscript?.type !== 'subscript' ||
    subscript.childForFieldName('value')?.id !== read.call.id ||
    callArguments(read.call).keywords.has(read.columnsKeyword)
  ) {
    return null;
  }
  const used = columnsOfIndex(subscript);
  const named = used ? columnsNamedByCall(read.call) : null;
  if (!used || named === null) {
    return null;
  }
  return narrowTo(
    cell,
    read,
    [...named.filter(c => !used.includes(c)), ...used],
    `\`${read.reader}(...)\` reads every column and the result is cut to`
  );
}

/** Every later use reads known columns → `usecols=[...]` with them. */
function knownColumns(
  context: INotebookRuleContext,
  cell: IParsedCell,
  read: IRead
): Found | null {
  if (callArguments(read.call).keywords.has(read.columnsKeyword)) {
    return null;
  }
  const binding = boundName(context, cell, read.call);
  if (!binding || context.dataflow.functionReads.has(binding.name)) {
    return null;
  }
  const known = columnsByBinding(context.dataflow, binding.name, context.cells);
  let columns = known.get(binding);
  if (columns === undefined) {
    columns = columnsUsed(context, cell, binding);
    known.set(binding, columns);
  }
  if (!columns || columns.length === 0) {
    return null;
  }
  // the columns the call itself names must stay in the list, or the read
  // raises; a positional index_col would point into the narrowed columns
  const named = columnsNamedByCall(read.call);
  if (named === null) {
    return null;
  }
  return narrowTo(
    cell,
    read,
    [...named.filter(c => !columns!.includes(c)), ...columns],
    `\`${binding.name}\` is only ever used through`
  );
}

/** The finding that narrows `read` to `columns` (`usecols=` / `columns=`). */
function narrowTo(
  cell: IParsedCell,
  read: IRead,
  columns: string[],
  what: string
): Found {
  const list = `[${columns.map(c => JSON.stringify(c)).join(', ')}]`;
  return {
    message: `${what} the columns ${columns.map(c => `"${c}"`).join(', ')}; pass \`${read.columnsKeyword}=${list}\` to \`${read.reader}(...)\` to read only those.`,
    fix: {
      description: `Read only the columns used (${read.columnsKeyword}=)`,
      edits: [
        appendArgument(cell.index, read.call, `${read.columnsKeyword}=${list}`)
      ]
    }
  };
}

/** Keywords of a reader that name columns of the file. */
const COLUMN_KEYWORDS = ['index_col', 'parse_dates'];

/**
 * The columns a reader call names in `index_col=`/`parse_dates=` (string
 * literals, alone or in a list); null when one of them is given otherwise
 * (a position, a variable, `True`), which a column list cannot keep right.
 */
function columnsNamedByCall(call: SyntaxNode): string[] | null {
  const { keywords } = callArguments(call);
  const names: string[] = [];
  for (const keyword of COLUMN_KEYWORDS) {
    const value = keywords.get(keyword);
    if (!value || value.type === 'none' || value.type === 'false') {
      continue;
    }
    const items =
      value.type === 'list' || value.type === 'tuple'
        ? value.namedChildren
        : [value];
    for (const item of items) {
      const name = stringValue(item);
      if (name === null) {
        return null;
      }
      names.push(name);
    }
  }
  return names;
}

/**
 * {@link columnsUsed} of each binding of a name, kept while the cells that
 * mention the name are unchanged (they are all it depends on).
 */
const columnsByBinding = perName(() => new Map<IBinding, string[] | null>());

/** The module-level name `call` is assigned to (`df = pd.read_csv(...)`). */
function boundName(
  context: INotebookRuleContext,
  cell: IParsedCell,
  call: SyntaxNode
): IBinding | null {
  // the call and the cell's dataflow come from the same tree
  let binding = bindings.get(call);
  if (binding === undefined) {
    const flow =
      context.dataflow.cells[positionOfCell(context.dataflow, cell.index)];
    binding =
      flow?.defs.find(
        def => def.kind === 'assign' && def.value?.id === call.id
      ) ?? null;
    bindings.set(call, binding);
  }
  return binding;
}

const bindings = new WeakMap<SyntaxNode, IBinding | null>();

/** Insert `, text` before the call's closing parenthesis. */
function appendArgument(
  cell: number,
  call: SyntaxNode,
  text: string
): ITextEdit {
  const args = call.childForFieldName('arguments')!;
  const close = args.endPosition;
  const hasArgs = args.namedChildren.some(c => c.type !== 'comment');
  const trailingComma = args.lastChild?.previousSibling?.type === ',';
  const separator = !hasArgs || trailingComma ? '' : ', ';
  return insertAt(cell, close.row, close.column - 1, `${separator}${text}`);
}

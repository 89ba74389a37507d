/**
 * ML404: `pd.read_csv` / `read_table` / `read_json` with nothing that limits
 * what is loaded or how it is stored: every column, every row, inferred
 * 64-bit numbers and Python-object strings.
 */
import type { ICellRule } from '../types';
import { cellCalls } from './util/calls';
import { cellAliases, qualify } from './util/names';
import { callArguments, nodeRange } from './util/tree';

const READERS = new Map([
  ['pandas.read_csv', 'pd.read_csv'],
  ['pandas.read_table', 'pd.read_table'],
  ['pandas.read_json', 'pd.read_json']
]);

/** Keywords that bound the columns, rows or storage of the result. */
const LIMITING = [
  'usecols',
  'dtype',
  'dtype_backend',
  'chunksize',
  'nrows',
  'iterator'
];

/** ML404: a pandas reader called without dtypes, columns or chunks. */
export const ML404: ICellRule = {
  id: 'ML404',
  name: 'read-without-dtypes',
  title: 'pandas reader without dtypes, columns or chunks',
  severity: 'info',
  scope: 'cell',
  docs: {
    why: 'Without `usecols`/`dtype`, pandas loads every column, stores numbers as 64-bit and strings as Python objects (often 5-10x the file size in memory); without `chunksize`/`nrows` it loads every row at once.',
    whatToDo:
      'Read only the columns you need (`usecols=`), give compact dtypes (`dtype={"id": "int32", "city": "category"}`), use `dtype_backend="pyarrow"` or `engine="pyarrow"`, or stream with `chunksize=`.',
    bad: 'df = pd.read_csv("trips.csv")',
    good: 'df = pd.read_csv(\n    "trips.csv",\n    usecols=["city", "fare"],\n    dtype={"city": "category", "fare": "float32"},\n)'
  },
  check({ cell, report }) {
    // The cell's text has no a `read_` call: nothing to find.
    if (!cell.masked.includes('read_')) {
      return;
    }
    const aliases = cellAliases(cell);
    for (const { call, dotted } of cellCalls(cell)) {
      const callee = qualify(dotted, aliases);
      const reader = callee ? READERS.get(callee) : undefined;
      if (!reader) {
        continue;
      }
      const { keywords, splat } = callArguments(call);
      const engine = keywords.get('engine');
      if (
        splat ||
        LIMITING.some(k => keywords.has(k)) ||
        (engine && /^['"]pyarrow['"]$/.test(engine.text))
      ) {
        continue;
      }
      report({
        ...nodeRange(call),
        message: `\`${reader}(...)\` loads every column with default 64-bit/object dtypes; pass \`usecols=\`, \`dtype=\` or \`dtype_backend="pyarrow"\` (or \`chunksize=\` to stream).`,
        fix: null
      });
    }
  }
};

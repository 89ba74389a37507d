/**
 * What a reader reads, as far as the source tells: a path literal (whose
 * file the host may know the size of), a variable bound to text in memory
 * or to a path, or something unknown. The largeness replay answers the
 * pseudo-names these helpers ask about (`largeness.ts`).
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { calleeName, namedChildren } from '../../syntax/tree';

/**
 * Pseudo-names a largeness form asks about, besides variables: a file path
 * (large unless the file is known to be small) and the source a reader
 * reads through a variable (large while that variable names a file, not
 * text or a buffer in memory). The replay answers them (`largeness.ts`).
 */
export const FILE_PREFIX = '\0file:';
export const SOURCE_PREFIX = '\0source:';

/** Keywords that name what a pandas/polars reader reads. */
const SOURCE_KEYWORDS = new Set([
  'filepath_or_buffer',
  'path_or_buf',
  'path',
  'io',
  'source',
  'file',
  'fname'
]);

/**
 * True when what a reader reads may be large: a path literal whose file is
 * not known to be small, a variable bound to a file (not to in-memory text),
 * or anything the source does not spell. A SQL reader reads its connection:
 * a query cannot return more than the database file holds.
 */
export function largeSource(
  args: SyntaxNode | null,
  large: ReadonlySet<string>,
  reader = ''
): boolean {
  const all = args ? namedChildren(args) : [];
  const sql = reader.startsWith('read_sql');
  const keywords = sql ? CONNECTION_KEYWORDS : SOURCE_KEYWORDS;
  const at = sql ? 1 : 0;
  const source =
    all[at] === undefined || all[at].type === 'keyword_argument'
      ? all
          .find(
            a =>
              a.type === 'keyword_argument' &&
              keywords.has(a.childForFieldName('name')?.text ?? '')
          )
          ?.childForFieldName('value')
      : all[at];
  if (sql) {
    if (source?.type === 'identifier') {
      return large.has(SOURCE_PREFIX + source.text);
    }
    const read = source ? sourceOf(source) : 'unknown';
    return read === 'unknown' || large.has(read);
  }
  const path = source ? stringValue(source) : null;
  if (path !== null) {
    return large.has(FILE_PREFIX + path);
  }
  if (source && TRAINING_LOG.test(source.text)) {
    return false;
  }
  if (source?.type === 'identifier') {
    return large.has(SOURCE_PREFIX + source.text);
  }
  return true;
}

/**
 * A path under a training logger's folder (`f"{trainer.logger.log_dir}/metrics.csv"`):
 * the log a training run writes, a row per logged step or epoch.
 */
const TRAINING_LOG = /\blog_dir\b/;

/** Keywords that name the connection a pandas SQL reader reads through. */
const CONNECTION_KEYWORDS = new Set(['con', 'connection']);

/** The text of a plain string literal (no f-string, no bytes), else null. */
export function stringValue(node: SyntaxNode): string | null {
  if (node.type !== 'string') {
    return null;
  }
  const parts = namedChildren(node);
  if (
    !/^[rRuU]?['"]/.test(node.text) ||
    parts.some(p => p.type === 'interpolation' || p.type === 'escape_sequence')
  ) {
    return null;
  }
  return parts
    .filter(p => p.type === 'string_content')
    .map(p => p.text)
    .join('');
}

/**
 * What a reader given this value (bound to a name) would read: `'memory'`
 * for text or buffers held in memory (`StringIO(...)`, `json.dumps(...)`,
 * `df.to_json()`), the path of a string literal or of a SQLite database
 * (`sqlite3.connect(path)`, `create_engine("sqlite:///path")`), what another
 * name reads (`engine.connect()`: `SOURCE_PREFIX` + `engine`), else
 * `'unknown'`.
 */
export function sourceOf(value: SyntaxNode | null): string {
  if (!value) {
    return 'unknown';
  }
  const path = stringValue(value);
  if (path !== null) {
    return /[\n{[]/.test(path) ? 'memory' : FILE_PREFIX + path;
  }
  if (value.type !== 'call') {
    return 'unknown';
  }
  const callee = calleeName(value) ?? '';
  const args = namedChildren(value.childForFieldName('arguments')!);
  const database = sqliteFile(callee, args[0]);
  if (database !== null) {
    return FILE_PREFIX + database;
  }
  const receiver = value
    .childForFieldName('function')
    ?.childForFieldName('object');
  if (
    /\.(connect|raw_connection|begin|cursor)$/.test(callee) &&
    receiver?.type === 'identifier'
  ) {
    return SOURCE_PREFIX + receiver.text;
  }
  if (
    /(^|\.)(StringIO|BytesIO|dumps|getvalue)$/.test(callee) ||
    // to_json()/to_csv() without a path return the text itself
    (/(^|\.)to_(json|csv)$/.test(callee) &&
      !args.some(a => a.type !== 'keyword_argument'))
  ) {
    return 'memory';
  }
  return 'unknown';
}

/**
 * The database file of `sqlite3.connect(path)` or
 * `create_engine("sqlite:///path")`, else null.
 */
function sqliteFile(
  callee: string,
  first: SyntaxNode | undefined
): string | null {
  const text = first ? stringValue(first) : null;
  if (text === null) {
    return null;
  }
  if (callee === 'sqlite3.connect') {
    return text === ':memory:' ? null : text;
  }
  const url = /^sqlite:\/\/\/(.+)$/.exec(text);
  return /(^|\.)create_engine$/.test(callee) && url ? url[1] : null;
}

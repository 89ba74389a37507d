/**
 * ML601: a file opened outside a `with` block and never closed in its cell.
 * The handle (and its buffer) lives until garbage collection, which in a
 * notebook can be never: the global keeps it alive.
 *
 * Fixes, only where the rewrite is exact:
 * - inline `open(p).read()` → `Path(p).read_text()` (`"rb"` →
 *   `read_bytes()`, `open(p, "w").write(s)` → `Path(p).write_text(s)`,
 *   `"wb"` → `write_bytes`); `encoding=`/`errors=` carry over, any other
 *   argument means no fix. `Path` is used as imported in this or an earlier
 *   cell (`from pathlib import Path`, or `pathlib.Path` after
 *   `import pathlib`); otherwise the fix also inserts `from pathlib import
 *   Path` at the top of the cell.
 * - `f = open(p)` → `with open(p) as f:` whose body is the following
 *   statements of the same block up to the last one using `f`, when every
 *   use is an eager one (a method call such as `f.read()`, `for line in f`,
 *   `json.load(f)`, `print(..., file=f)`) so nothing still holds the file
 *   after the block, and no later cell uses `f`. When nothing uses `f` yet,
 *   the body is `...`, a placeholder for the code that will read the file.
 */
import type { Node } from 'web-tree-sitter';
import type { IFix, INotebookRule, IReport, ITextEdit } from '../types';
import { Aliases, qualifiedCallee } from './util/names';
import {
  IOpenedResource,
  opensFile,
  pathOfOpen,
  unmanagedResource
} from './util/resources';
import { callArguments, dottedName, nodeRange, sameNode } from './util/tree';
import { NotebookIndex } from './util/notebook';
import { withBlockFix } from './util/with-block';

const CLOSERS = new Set(['close', '__exit__']);

/** ML601: `open(...)` outside `with`, not closed in the same cell. */
export const ML601: INotebookRule = {
  id: 'ML601',
  name: 'open-without-with',
  title: 'File opened without a `with` block',
  severity: 'warning',
  scope: 'notebook',
  docs: {
    why: 'A file object that is never closed keeps its OS handle and its read/write buffers until it is garbage collected; a notebook global is never collected, and unflushed writes may be lost.',
    whatToDo:
      'Open files in a `with` block, or read/write them in one call with `Path(p).read_text()` / `write_text()`. The quick fix does either where the rewrite is exact.',
    bad: 'f = open("data.txt")\ntext = f.read()\n\nheader = open("header.txt").read()',
    good: 'with open("data.txt") as f:\n    text = f.read()\n\nheader = Path("header.txt").read_text()'
  },
  check({ cells, report }) {
    const index = new NotebookIndex(cells);
    const aliases = index.aliases();
    cells.forEach((cell, position) => {
      const candidates = index.callsByTail(
        position,
        'ML601',
        tail => tail === 'open'
      );
      for (const call of candidates) {
        const opened = opensFile(call, aliases)
          ? unmanagedResource(call)
          : null;
        if (!opened) {
          continue;
        }
        const finding = describe(index, position, opened, aliases);
        if (finding) {
          report(cell.index, { ...nodeRange(call), ...finding });
        }
      }
    });
  }
};

type Finding = Pick<IReport, 'message' | 'fix' | 'severity'>;

function describe(
  index: NotebookIndex,
  position: number,
  opened: IOpenedResource,
  aliases: Aliases
): Finding | null {
  const cell = index.cells[position];
  const { call, target } = opened;
  const what = callLabel(call);
  if (!target) {
    return {
      message: `${what} is never closed: its file handle stays open until garbage collection.`,
      fix: pathFix(index, position, call, aliases)
    };
  }
  const name = dottedName(target)!;
  if (index.released(position, CLOSERS).has(name)) {
    return null;
  }
  if (
    index.findAfter(position, p => index.released(p, CLOSERS).has(name)) >= 0
  ) {
    return {
      severity: 'info',
      message: `${name} = ${what} is closed only in a later cell; until then the file stays open. Prefer a \`with\` block.`,
      fix: null
    };
  }
  const usedLater = index.usedAfter(position, name);
  const fix =
    opened.statement && target.type === 'identifier' && !usedLater
      ? withBlockFix({
          cell: cell.index,
          source: cell.source,
          root: cell.root,
          statement: opened.statement,
          call,
          name,
          isSafeUse: (r, holder) => isEagerUse(r, holder, aliases)
        })
      : null;
  return {
    message: `${name} = ${what} is never closed in this cell; open it in a \`with\` block.`,
    fix
  };
}

/** `open(p)` / `gzip.open(...)` as written, shortened when long. */
function callLabel(call: Node): string {
  const fn = call.childForFieldName('function')?.text ?? 'open';
  return call.text.length <= 40 && !call.text.includes('\n')
    ? call.text
    : `${fn}(...)`;
}

/** File methods and attributes whose use does not let the file escape. */
const FILE_MEMBERS = new Set([
  'read',
  'readline',
  'readlines',
  'write',
  'writelines',
  'seek',
  'tell',
  'flush',
  'truncate',
  'fileno',
  'isatty',
  'readable',
  'writable',
  'seekable',
  'name',
  'mode',
  'closed',
  'encoding'
]);
const DATA_MEMBERS = new Set(['name', 'mode', 'closed', 'encoding']);

/** Calls that consume a file completely before they return. */
const EAGER_CONSUMERS = new Set([
  'json.load',
  'json.dump',
  'pickle.load',
  'pickle.dump',
  'yaml.load',
  'yaml.safe_load',
  'yaml.dump',
  'yaml.safe_dump',
  'numpy.load',
  'numpy.save',
  'numpy.loadtxt',
  'numpy.savetxt',
  'numpy.genfromtxt',
  'pandas.read_csv',
  'pandas.read_json',
  'pandas.read_table',
  'pandas.read_parquet',
  'pandas.read_pickle',
  'shutil.copyfileobj',
  'list',
  'tuple',
  'sorted',
  'set',
  'next',
  'print'
]);
/** Methods of other objects that write a whole result into a file argument. */
const EAGER_METHODS = new Set([
  'to_csv',
  'to_json',
  'to_parquet',
  'to_pickle',
  'savefig',
  'tofile'
]);
/** Lazy wrappers that are fine when a `for` statement consumes them at once. */
const LOOP_WRAPPERS = new Set([
  'enumerate',
  'zip',
  'map',
  'filter',
  'csv.reader',
  'csv.DictReader',
  'itertools.islice'
]);
const DEFERRED = new Set([
  'function_definition',
  'lambda',
  'class_definition',
  'generator_expression'
]);

/** A use of the file that is over when its statement (`holder`) ends. */
function isEagerUse(reference: Node, holder: Node, aliases: Aliases): boolean {
  for (let n = reference.parent; n && !sameNode(n, holder); n = n.parent) {
    if (DEFERRED.has(n.type)) {
      return false;
    }
  }
  const parent = reference.parent!;
  if (parent.type === 'attribute') {
    const member = parent.childForFieldName('attribute')?.text ?? '';
    const called =
      parent.parent?.type === 'call' &&
      sameNode(parent.parent.childForFieldName('function'), parent);
    return FILE_MEMBERS.has(member) && (called || DATA_MEMBERS.has(member));
  }
  if (isIterated(reference)) {
    return true;
  }
  const args = parent.type === 'keyword_argument' ? parent.parent : parent;
  const consumer = args?.type === 'argument_list' ? args.parent : null;
  if (consumer?.type !== 'call') {
    return false;
  }
  const callee = qualifiedCallee(consumer, aliases) ?? '';
  if (
    EAGER_CONSUMERS.has(callee) ||
    EAGER_METHODS.has(callee.split('.').pop()!)
  ) {
    return true;
  }
  return consumedByLoop(consumer, aliases);
}

/** `enumerate(csv.reader(f))` iterated at once by a `for`. */
function consumedByLoop(call: Node, aliases: Aliases): boolean {
  if (!LOOP_WRAPPERS.has(qualifiedCallee(call, aliases) ?? '')) {
    return false;
  }
  if (isIterated(call)) {
    return true;
  }
  const outer =
    call.parent?.type === 'argument_list' ? call.parent.parent : null;
  return outer?.type === 'call' && consumedByLoop(outer, aliases);
}

/** `node` is the iterable of a `for` statement or comprehension clause. */
function isIterated(node: Node): boolean {
  const parent = node.parent;
  return (
    (parent?.type === 'for_statement' || parent?.type === 'for_in_clause') &&
    sameNode(parent.childForFieldName('right'), node)
  );
}

/** File method → (normalised mode → the `Path` method doing the same). */
const METHOD_SWAPS = new Map([
  [
    'read',
    new Map([
      ['r', 'read_text'],
      ['rb', 'read_bytes']
    ])
  ],
  [
    'write',
    new Map([
      ['w', 'write_text'],
      ['wb', 'write_bytes']
    ])
  ]
]);

/**
 * `open(p).read()` → `Path(p).read_text()` and the like, with the import
 * when needed; null unless exact.
 */
function pathFix(
  index: NotebookIndex,
  position: number,
  call: Node,
  aliases: Aliases
): IFix | null {
  const cell = index.cells[position];
  const attribute = call.parent!;
  const method = attribute.parent;
  const methodName = attribute.childForFieldName('attribute')?.text ?? '';
  if (
    method?.type !== 'call' ||
    !sameNode(method.childForFieldName('function'), attribute) ||
    !METHOD_SWAPS.has(methodName)
  ) {
    return null;
  }
  const pathCall = pathOfOpen(call, aliases);
  const builtin = ['open', 'io.open'].includes(
    qualifiedCallee(call, aliases) ?? ''
  );
  const open =
    pathCall || builtin ? openArguments(call, pathCall !== null) : null;
  const data = callArguments(method);
  const writes = methodName === 'write';
  if (
    !open ||
    data.splat ||
    data.keywords.size > 0 ||
    data.positional.length !== (writes ? 1 : 0)
  ) {
    return null;
  }
  const swap = METHOD_SWAPS.get(methodName)!.get(open.mode);
  if (!swap || (open.binary && open.extra.length > 0)) {
    return null;
  }
  const path = pathCall ? { head: '', edit: null } : pathName(index, position);
  if (!path) {
    return null;
  }
  const receiver = pathCall
    ? pathCall.text
    : `${path.head}(${open.file!.text})`;
  const args = [...data.positional.map(a => a.text), ...open.extra].join(', ');
  const replacement: ITextEdit = {
    cell: cell.index,
    ...nodeRange(method),
    text: `${receiver}.${swap}(${args})`
  };
  const edits = path.edit ? mergeInsert(path.edit, replacement) : [replacement];
  return {
    description: `Use ${pathCall ? 'Path' : path.head}(...).${swap}()`,
    edits
  };
}

interface IOpenArguments {
  /** The file argument of `open(file, ...)`; null for `Path(...).open()`. */
  file: Node | null;
  /** Normalised mode: `r`, `rb`, `w`, `wb`. */
  mode: string;
  binary: boolean;
  /** `encoding=...` / `errors=...` as written, to carry over. */
  extra: string[];
}

/** `open()` mode strings the fix understands, normalised. */
const MODES = new Map([
  ['r', 'r'],
  ['rt', 'r'],
  ['tr', 'r'],
  ['rb', 'rb'],
  ['br', 'rb'],
  ['w', 'w'],
  ['wt', 'w'],
  ['tw', 'w'],
  ['wb', 'wb'],
  ['bw', 'wb']
]);

/** The arguments of `open(file, mode, encoding=, errors=)`; null when others. */
function openArguments(call: Node, isPathOpen: boolean): IOpenArguments | null {
  const { positional, keywords, splat } = callArguments(call);
  const file = isPathOpen ? null : (positional.shift() ?? null);
  if (splat || (!isPathOpen && (!file || file.type === 'integer'))) {
    return null;
  }
  const modeNode = positional.shift() ?? keywords.get('mode') ?? null;
  if (positional.length > 0) {
    return null;
  }
  const mode = modeNode ? MODES.get(plainString(modeNode) ?? '') : 'r';
  const extra: string[] = [];
  for (const [key, value] of keywords) {
    if (key === 'encoding' || key === 'errors') {
      extra.push(`${key}=${value.text}`);
    } else if (key !== 'mode') {
      return null;
    }
  }
  return mode ? { file, mode, binary: mode.endsWith('b'), extra } : null;
}

/** The value of a plain string literal (no prefix, no interpolation). */
function plainString(node: Node): string | null {
  const match = /^(['"])([a-z]*)\1$/.exec(node.text);
  return node.type === 'string' && match ? match[2] : null;
}

interface IPathName {
  /** How to spell `pathlib.Path` in the cell. */
  head: string;
  /** The import to insert, when the name is not imported yet. */
  edit: ITextEdit | null;
}

/**
 * How the fix names `pathlib.Path`: `Path` / `<alias>.Path` when this or an
 * earlier cell imports it, else `Path` plus `from pathlib import Path` at the
 * top of the cell (after `from __future__` imports). Null when `Path` is
 * bound to something else.
 */
function pathName(index: NotebookIndex, position: number): IPathName | null {
  const cell = index.cells[position];
  const visible = new Map<string, string>();
  for (let p = 0; p <= position; p++) {
    for (const [local, qualified] of index.imports(p)) {
      visible.set(local, qualified);
    }
  }
  for (const [local, qualified] of visible) {
    if (qualified === 'pathlib.Path') {
      return { head: local, edit: null };
    }
  }
  for (const [local, qualified] of visible) {
    if (qualified === 'pathlib') {
      return { head: `${local}.Path`, edit: null };
    }
  }
  for (let p = 0; p <= position; p++) {
    if (index.references(p).has('Path')) {
      return null;
    }
  }
  if (visible.has('Path')) {
    return null;
  }
  const first = cell.root.namedChildren.find(
    s => s.type !== 'comment' && !isFutureImport(s)
  );
  if (!first || first.startPosition.column !== 0) {
    return null;
  }
  const at = first.startPosition.row;
  return {
    head: 'Path',
    edit: {
      cell: cell.index,
      line: at,
      column: 0,
      endLine: at,
      endColumn: 0,
      text: 'from pathlib import Path\n'
    }
  };
}

function isFutureImport(statement: Node): boolean {
  return (
    statement.type === 'future_import_statement' ||
    (statement.type === 'import_from_statement' &&
      statement.childForFieldName('module_name')?.text === '__future__')
  );
}

/** The import and the replacement as edits that never share a start. */
function mergeInsert(insert: ITextEdit, replacement: ITextEdit): ITextEdit[] {
  if (
    insert.line === replacement.line &&
    insert.column === replacement.column
  ) {
    return [{ ...replacement, text: insert.text + replacement.text }];
  }
  return [insert, replacement];
}

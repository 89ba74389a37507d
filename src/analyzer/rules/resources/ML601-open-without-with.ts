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
import type { SyntaxNode } from '../../syntax/syntax';
import type { INotebookRule, IReport } from '../../types';
import { Aliases, qualifiedCallee } from '../helpers/names';
import {
  IOpenedResource,
  opensFile,
  unmanagedResource
} from '../helpers/resources';
import { dottedName, nodeRange, sameNode } from '../../syntax/tree';
import { callsByTail, NotebookIndex } from '../helpers/notebook';
import { pathFix } from './path-fix';
import { withBlockFix } from '../helpers/with-block';

/** The cell's `open(...)` / `.open(...)` calls (cached per cell). */
const openCalls = callsByTail(tail => tail === 'open');

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
      const candidates = openCalls(cell);
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
function callLabel(call: SyntaxNode): string {
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
function isEagerUse(
  reference: SyntaxNode,
  holder: SyntaxNode,
  aliases: Aliases
): boolean {
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
function consumedByLoop(call: SyntaxNode, aliases: Aliases): boolean {
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
function isIterated(node: SyntaxNode): boolean {
  const parent = node.parent;
  return (
    (parent?.type === 'for_statement' || parent?.type === 'for_in_clause') &&
    sameNode(parent.childForFieldName('right'), node)
  );
}

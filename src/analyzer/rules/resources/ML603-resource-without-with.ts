/**
 * ML603: a connection, archive, pool, temporary file or socket created
 * outside a `with` block and never closed in its cell. A notebook global
 * keeps it, its buffers and (for pools) its worker processes alive.
 *
 * A notebook rule: when a later cell closes the object the finding stays, at
 * `info` severity (the object is kept open on purpose, across cells).
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { INotebookRule } from '../../types';
import { Aliases, qualifiedCallee } from '../helpers/names';
import { callsByTail, NotebookIndex } from '../helpers/notebook';
import { unmanagedResource } from '../helpers/resources';
import { dottedName, nodeRange } from '../../syntax/tree';

/** Qualified constructor → how to say what it opens. */
const RESOURCES = new Map([
  ['sqlite3.connect', 'database connection'],
  ['h5py.File', 'HDF5 file'],
  ['zipfile.ZipFile', 'zip archive'],
  ['tarfile.open', 'tar archive'],
  ['multiprocessing.Pool', 'process pool'],
  ['multiprocessing.pool.Pool', 'process pool'],
  ['multiprocessing.pool.ThreadPool', 'thread pool'],
  ['concurrent.futures.ThreadPoolExecutor', 'thread pool'],
  ['concurrent.futures.ProcessPoolExecutor', 'process pool'],
  ['concurrent.futures.InterpreterPoolExecutor', 'interpreter pool'],
  ['tempfile.NamedTemporaryFile', 'temporary file'],
  ['socket.socket', 'socket']
]);
const CLOSERS = new Set(['close', 'shutdown', 'terminate', '__exit__']);
/** The last name segment of each constructor, to pick candidate calls. */
const TAILS = new Set([...RESOURCES.keys()].map(k => k.split('.').pop()!));

/** The cell's calls that may create a resource (cached per cell). */
const resourceCalls = callsByTail(tail => TAILS.has(tail));

/** ML603: a resource outside `with`, never closed in its cell. */
export const ML603: INotebookRule = {
  id: 'ML603',
  name: 'resource-without-with',
  title: 'Resource opened without a `with` block',
  severity: 'warning',
  scope: 'notebook',
  docs: {
    why: "Connections, HDF5/zip/tar files (and members opened from a zip with `zf.open(name)`), worker pools, temporary files and sockets hold buffers, OS handles and (pools) whole processes until they are closed; a notebook global that is never closed holds them for the life of the kernel. `with sqlite3.connect(path) as con:` is flagged too: the connection's context manager commits or rolls back, it does not close. Not flagged: a zip member given straight to a reader that reads it whole (`pd.read_csv(zf.open(name))`), closed when the call returns.",
    whatToDo:
      'Use the object in a `with` block, or call its `close()` (`shutdown()` for executors) when done. For `sqlite3`, `with conn:` only commits: use `with contextlib.closing(sqlite3.connect(path)) as conn:`.',
    bad: 'pool = multiprocessing.Pool(8)\nresults = pool.map(work, items)',
    good: 'with multiprocessing.Pool(8) as pool:\n    results = pool.map(work, items)'
  },
  check({ cells, report }) {
    const index = new NotebookIndex(cells);
    const aliases = index.aliases();
    cells.forEach((cell, position) => {
      const candidates = resourceCalls(cell);
      for (const call of candidates) {
        const qualified = qualifiedCallee(call, aliases) ?? '';
        const kind =
          RESOURCES.get(qualified) ??
          (isArchiveMember(call, cells) ? 'zip archive member' : undefined);
        const finding = kind
          ? qualified === 'sqlite3.connect' && committingWith(call)
            ? {
                message: `\`with ${call.text}\` commits or rolls back at the end of the block but does not close the database connection; use \`with contextlib.closing(${call.text}) as ...:\`.`
              }
            : describe(call, kind, index, position, aliases)
          : null;
        if (finding) {
          report(cell.index, { ...nodeRange(call), ...finding, fix: null });
        }
      }
    });
  }
};

function describe(
  call: SyntaxNode,
  kind: string,
  index: NotebookIndex,
  position: number,
  aliases: Aliases
): { message: string; severity?: 'info' } | null {
  const opened = unmanagedResource(call);
  if (!opened) {
    return null;
  }
  const callee = call.childForFieldName('function')!.text;
  const closer = closerOf(qualifiedCallee(call, aliases)!);
  if (!opened.target) {
    return {
      message: `The ${kind} from ${callee}(...) is never closed: nothing can call ${closer}() on it.`
    };
  }
  const name = dottedName(opened.target)!;
  if (
    index.released(position, CLOSERS).has(name) ||
    closedThroughInstances(name, index)
  ) {
    return null;
  }
  if (
    index.findAfter(position, p => index.released(p, CLOSERS).has(name)) >= 0
  ) {
    return {
      severity: 'info',
      message: `${name} = ${callee}(...) stays open until a later cell closes it; a \`with\` block releases the ${kind} as soon as it is done.`
    };
  }
  return {
    message: `${name} = ${callee}(...) opens a ${kind} that is never closed; use a \`with\` block or call ${name}.${closer}().`
  };
}

/**
 * `self.h5f = h5py.File(...)`: the object keeps the resource open on purpose
 * (a dataset reading entries lazily); it is released when some cell or method
 * closes that attribute (`train_set.h5f.close()`, `self.h5f.close()`).
 */
function closedThroughInstances(name: string, index: NotebookIndex): boolean {
  const [owner, attribute, ...rest] = name.split('.');
  if (owner !== 'self' || !attribute || rest.length > 0) {
    return false;
  }
  const closes = new RegExp(
    `\\.${attribute}\\s*\\.\\s*(${[...CLOSERS].join('|')})\\s*\\(`
  );
  return index.cells.some(cell => closes.test(cell.masked));
}

/** `with sqlite3.connect(p) as con:` (not wrapped in `closing(...)`). */
function committingWith(call: SyntaxNode): boolean {
  let item = call.parent;
  if (item?.type === 'as_pattern') {
    item = item.parent;
  }
  return item?.type === 'with_item';
}

/**
 * `zf.open(name)` where `zf` is bound to a `zipfile.ZipFile` somewhere in
 * the notebook (`zf = zipfile.ZipFile(...)`, `with ZipFile(...) as zf`).
 */
function isArchiveMember(
  call: SyntaxNode,
  cells: readonly { masked: string }[]
): boolean {
  const fn = call.childForFieldName('function');
  const receiver =
    fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (
    fn?.childForFieldName('attribute')?.text !== 'open' ||
    receiver?.type !== 'identifier'
  ) {
    return false;
  }
  const name = receiver.text;
  const bound = new RegExp(
    `\\b${name}\\s*=\\s*(zipfile\\.)?ZipFile\\(|ZipFile\\([^\\n]*\\)\\s+as\\s+${name}\\b`
  );
  return cells.some(cell => bound.test(cell.masked));
}

function closerOf(qualified: string): string {
  return qualified.endsWith('Executor') ? 'shutdown' : 'close';
}

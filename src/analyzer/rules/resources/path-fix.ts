/**
 * The exact `Path` rewrite of ML601: `open(p).read()` → `Path(p).read_text()`
 * (`"rb"` → `read_bytes()`, `open(p, "w").write(s)` → `write_text(s)`,
 * `"wb"` → `write_bytes`), carrying `encoding=`/`errors=` over, using `Path`
 * as the notebook imports it or inserting `from pathlib import Path`.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { IFix, ITextEdit } from '../../types';
import { Aliases, qualifiedCallee } from '../helpers/names';
import { NotebookIndex } from '../helpers/notebook';
import { pathOfOpen } from '../helpers/resources';
import { callArguments, nodeRange, sameNode } from '../../syntax/tree';

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
export function pathFix(
  index: NotebookIndex,
  position: number,
  call: SyntaxNode,
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
  file: SyntaxNode | null;
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
function openArguments(
  call: SyntaxNode,
  isPathOpen: boolean
): IOpenArguments | null {
  const { keywords, splat, ...args } = callArguments(call);
  const positional = [...args.positional];
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
function plainString(node: SyntaxNode): string | null {
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

function isFutureImport(statement: SyntaxNode): boolean {
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

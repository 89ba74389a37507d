/**
 * Resolving what a dotted name in a cell refers to, through the imports the
 * rule can see (`import numpy as np`, `from pandas import read_csv`) and the
 * community's conventional aliases (`np`, `pd`, `plt`) when the import lives
 * in a cell the rule cannot see.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { IParsedCell } from '../../types';
import { perCell } from './cell-cache';
import { dottedName } from '../../syntax/tree';

/** Local name → the fully qualified name it was imported as. */
export type Aliases = ReadonlyMap<string, string>;

/** Aliases assumed when no visible import says otherwise. */
export const CONVENTIONAL_ALIASES: Aliases = new Map([
  ['np', 'numpy'],
  ['pd', 'pandas'],
  ['plt', 'matplotlib.pyplot']
]);

/**
 * The aliases bound by every `import` / `from ... import` statement under the
 * given roots (cells), on top of {@link CONVENTIONAL_ALIASES}. Later imports win.
 * `from m import *` and relative imports are ignored.
 */
export function importAliases(roots: Iterable<SyntaxNode>): Aliases {
  const aliases = new Map(CONVENTIONAL_ALIASES);
  for (const root of roots) {
    addImportAliases(root, aliases);
  }
  return aliases;
}

/**
 * {@link importAliases} of one cell's root, once per parsed cell (the cell
 * rules that resolve names share it).
 */
export const cellAliases: (cell: IParsedCell) => Aliases = perCell(cell =>
  importAliases([cell.root])
);

/** The aliases bound by the imports of one cell (no conventional ones). */
export const cellImports: (cell: IParsedCell) => Aliases = perCell(cell => {
  const aliases = new Map<string, string>();
  addImportAliases(cell.root, aliases);
  return aliases;
});

/**
 * {@link importAliases} of the cells' roots, from per-cell import facts
 * cached with each cell's tree. The rules of one run share one merge, and
 * a run whose importing cells are those of the last merge reuses it (an
 * edit that touches no import merges nothing).
 */
export function notebookAliases(cells: readonly IParsedCell[]): Aliases {
  let aliases = notebookCache.get(cells);
  if (!aliases) {
    const importing: Aliases[] = [];
    for (const cell of cells) {
      const imports = cellImports(cell);
      if (imports.size > 0) {
        importing.push(imports);
      }
    }
    if (
      lastMerge?.importing.length === importing.length &&
      importing.every((imports, i) => lastMerge!.importing[i] === imports)
    ) {
      aliases = lastMerge.aliases;
    } else {
      const merged = new Map(CONVENTIONAL_ALIASES);
      for (const imports of importing) {
        for (const [local, qualified] of imports) {
          merged.set(local, qualified);
        }
      }
      aliases = merged;
      lastMerge = { importing, aliases };
    }
    notebookCache.set(cells, aliases);
  }
  return aliases;
}

/** One merge per run: the rules of a run share the same cells array. */
const notebookCache = new WeakMap<readonly IParsedCell[], Aliases>();

/**
 * The last merge and the per-cell imports it merged (each parsed cell has
 * one imports map for its lifetime; the maps hold no trees).
 */
let lastMerge: { importing: Aliases[]; aliases: Aliases } | null = null;

/** Add the aliases bound by the imports under `root` to `aliases`. */
function addImportAliases(
  root: SyntaxNode,
  aliases: Map<string, string>
): void {
  const statements = root.descendantsOfType([
    'import_statement',
    'import_from_statement'
  ]);
  for (const statement of statements) {
    const module =
      statement.type === 'import_from_statement'
        ? statement.childForFieldName('module_name')
        : null;
    if (module && module.type !== 'dotted_name') {
      continue;
    }
    for (const name of statement.childrenForFieldName('name')) {
      const imported =
        name.type === 'aliased_import' ? name.childForFieldName('name') : name;
      const alias =
        name.type === 'aliased_import'
          ? name.childForFieldName('alias')?.text
          : null;
      if (!imported) {
        continue;
      }
      if (module) {
        aliases.set(alias ?? imported.text, `${module.text}.${imported.text}`);
      } else if (alias) {
        aliases.set(alias, imported.text);
      } else {
        // `import os.path` binds `os`.
        const head = imported.text.split('.')[0];
        aliases.set(head, head);
      }
    }
  }
}

/**
 * The qualified name of a dotted expression: `np.zeros` → `numpy.zeros`,
 * `read_csv` (from pandas) → `pandas.read_csv`. Unknown heads stay as written.
 */
export function qualifiedName(
  node: SyntaxNode | null,
  aliases: Aliases = CONVENTIONAL_ALIASES
): string | null {
  return qualify(dottedName(node), aliases);
}

/** {@link qualifiedName} of an already dotted name (`np.zeros`). */
export function qualify(
  dotted: string | null,
  aliases: Aliases = CONVENTIONAL_ALIASES
): string | null {
  if (!dotted) {
    return null;
  }
  const dot = dotted.indexOf('.');
  const head = dot < 0 ? dotted : dotted.slice(0, dot);
  const resolved = aliases.get(head);
  return resolved ? resolved + (dot < 0 ? '' : dotted.slice(dot)) : dotted;
}

/** The qualified name of the function a call calls, or null. */
export function qualifiedCallee(
  call: SyntaxNode,
  aliases: Aliases = CONVENTIONAL_ALIASES
): string | null {
  return call.type === 'call'
    ? qualifiedName(call.childForFieldName('function'), aliases)
    : null;
}

/** A `functools` caching decorator: which one, and whether it is bounded. */
export interface ICacheDecorator {
  /** As written, for messages: `functools.lru_cache(maxsize=None)`. */
  text: string;
  /** True for `@cache` and `@lru_cache(maxsize=None)`. */
  unbounded: boolean;
}

/**
 * Recognise `@functools.lru_cache`, `@lru_cache(...)`, `@functools.cache` and
 * `@cache` (bare names count unless a visible import says they are something
 * else). `lru_cache` without `maxsize=None` is bounded (128 by default).
 */
export function cacheDecorator(
  decorator: SyntaxNode,
  aliases: Aliases = CONVENTIONAL_ALIASES
): ICacheDecorator | null {
  const expression = decorator.namedChildren.find(c => c.type !== 'comment');
  if (!expression) {
    return null;
  }
  const isCall = expression.type === 'call';
  const name = qualifiedName(
    isCall ? expression.childForFieldName('function') : expression,
    aliases
  );
  const text = decorator.text.replace(/^@\s*/, '').replace(/\s+/g, ' ');
  if (name === 'functools.cache' || name === 'cache') {
    return isCall ? null : { text, unbounded: true };
  }
  if (name !== 'functools.lru_cache' && name !== 'lru_cache') {
    return null;
  }
  const args = isCall ? expression.childForFieldName('arguments') : null;
  const maxsize =
    args?.namedChildren
      .find(
        a =>
          a.type === 'keyword_argument' &&
          a.childForFieldName('name')?.text === 'maxsize'
      )
      ?.childForFieldName('value') ??
    args?.namedChildren.find(
      a => a.type !== 'keyword_argument' && a.type !== 'comment'
    );
  return { text, unbounded: maxsize?.type === 'none' };
}

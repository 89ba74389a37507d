/**
 * ML602: a loop that creates a pyplot figure and saves it to a file without
 * closing it. pyplot keeps every figure in its registry until `plt.close`,
 * so a batch of saved figures piles up until the cell ends (or forever
 * outside the inline backend).
 *
 * Loops that only draw are not flagged: the inline backend displays and
 * closes their figures at the end of the cell, and `plt.close` there would
 * hide the plots the author wants. `plt.show()` in the loop also releases.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { ICellRule, IFix } from '../../types';
import { cellCalls } from '../helpers/calls';
import {
  Aliases,
  cellAliases,
  qualifiedCallee,
  qualify
} from '../helpers/names';
import { callArguments, nodeRange } from '../../syntax/tree';
import { enclosingLoops } from '../../semantic/scopes';

const CREATORS = new Set([
  'matplotlib.pyplot.figure',
  'matplotlib.pyplot.subplots',
  'matplotlib.pyplot.subplot_mosaic'
]);
const RELEASERS = new Set([
  'matplotlib.pyplot.close',
  'matplotlib.pyplot.show'
]);

/** ML602: `plt.figure()` / `plt.subplots()` in a loop that never closes. */
export const ML602: ICellRule = {
  id: 'ML602',
  name: 'figure-not-closed',
  title: 'Figure created in a loop and never closed',
  severity: 'warning',
  scope: 'cell',
  docs: {
    why: 'pyplot keeps a reference to every figure it creates until `plt.close()`; a loop that makes and saves a figure per iteration keeps all of them, with their canvases and data, in memory. Not flagged: loops that only draw (small multiples shown inline: the inline backend closes them at the end of the cell) and loops that call `plt.show()` or `plt.close()`.',
    whatToDo:
      'Close each figure once it is saved: `plt.close(fig)` after `fig.savefig(...)` (the quick fix inserts it), or reuse one figure and clear it.',
    bad: 'for name, df in groups:\n    fig, ax = plt.subplots()\n    df.plot(ax=ax)\n    fig.savefig(f"{name}.png")',
    good: 'for name, df in groups:\n    fig, ax = plt.subplots()\n    df.plot(ax=ax)\n    fig.savefig(f"{name}.png")\n    plt.close(fig)'
  },
  check({ cell, report }) {
    // No loop or no figure creation in the text: nothing to find.
    if (
      !/\b(for|while)\b/.test(cell.masked) ||
      !/figure|subplot/.test(cell.masked)
    ) {
      return;
    }
    const aliases = cellAliases(cell);
    for (const { call, dotted } of cellCalls(cell)) {
      const callee = qualify(dotted, aliases);
      if (!callee || !CREATORS.has(callee)) {
        continue;
      }
      if (reusesFigure(call)) {
        continue;
      }
      const loops = enclosingLoops(call);
      if (loops.length === 0 || loops.some(loop => releases(loop, aliases))) {
        continue;
      }
      const save = savefigIn(loops[0]);
      if (!save) {
        continue;
      }
      const written = call.childForFieldName('function')!.text;
      const module = written.includes('.')
        ? written.slice(0, written.lastIndexOf('.'))
        : 'plt';
      const figure = figureName(call);
      report({
        ...nodeRange(call),
        message: `${written}() inside a loop creates a figure every iteration, saves it and never closes it: the figures pile up in pyplot's registry; call ${module}.close(${figure ?? ''}) after savefig.`,
        fix: closeAfter(cell.index, save, `${module}.close(${figure ?? ''})`)
      });
    }
  }
};

/**
 * `plt.figure(1)`, `plt.figure("loss")`, `plt.subplots(num=1)`: a constant
 * figure number or label returns the existing figure instead of a new one.
 */
function reusesFigure(call: SyntaxNode): boolean {
  const { positional, keywords } = callArguments(call);
  const isFigure = call.childForFieldName('function')?.text.endsWith('figure');
  const num = keywords.get('num') ?? (isFigure ? positional[0] : undefined);
  return !!num && ['integer', 'string'].includes(num.type);
}

/** The first `savefig(...)` call in the loop's body (`fig.savefig`, `plt.savefig`). */
function savefigIn(loop: SyntaxNode): SyntaxNode | null {
  const body = loop.childForFieldName('body');
  for (const call of body?.descendantsOfType('call') ?? []) {
    const fn = call?.childForFieldName('function');
    if (
      fn?.type === 'attribute' &&
      fn.childForFieldName('attribute')?.text === 'savefig'
    ) {
      return call;
    }
  }
  return null;
}

/** `fig` in `fig = plt.figure()` or `fig, ax = plt.subplots()`. */
function figureName(call: SyntaxNode): string | null {
  const assignment = call.parent;
  if (assignment?.type !== 'assignment') {
    return null;
  }
  const left = assignment.childForFieldName('left');
  const first =
    left?.type === 'pattern_list' || left?.type === 'tuple_pattern'
      ? left.namedChild(0)
      : left;
  return first?.type === 'identifier' ? first.text : null;
}

/**
 * Insert `close` on its own line after the statement holding `save`, when
 * that statement is a plain expression statement (an exact edit).
 */
function closeAfter(
  cell: number,
  save: SyntaxNode,
  close: string
): IFix | null {
  const statement = save.parent;
  if (statement?.type !== 'expression_statement') {
    return null;
  }
  const end = statement.endPosition;
  const indent = ' '.repeat(statement.startPosition.column);
  return {
    description: `Close the figure after saving it (${close})`,
    edits: [
      {
        cell,
        line: end.row,
        column: end.column,
        endLine: end.row,
        endColumn: end.column,
        text: `\n${indent}${close}`
      }
    ]
  };
}

/** The loop's body closes or shows figures. */
function releases(loop: SyntaxNode, aliases: Aliases): boolean {
  const body = loop.childForFieldName('body');
  return !!body
    ?.descendantsOfType('call')
    .some(c => RELEASERS.has(qualifiedCallee(c, aliases) ?? ''));
}

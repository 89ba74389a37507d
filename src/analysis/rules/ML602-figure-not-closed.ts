/**
 * ML602: a pyplot figure created inside a loop that never closes it. pyplot
 * keeps every figure in its registry until `plt.close`, so each iteration
 * adds one (matplotlib warns after 20).
 *
 * `plt.show()` in the loop counts as closing: Jupyter's inline backend closes
 * the figures it shows. With no safe edit (closing before the cell ends
 * stops the inline backend from displaying the figure), there is no fix.
 */
import type { Node } from 'web-tree-sitter';
import type { ICellRule } from '../types';
import { cellCalls } from './util/calls';
import { Aliases, cellAliases, qualifiedCallee, qualify } from './util/names';
import { callArguments, enclosingLoops, nodeRange } from './util/tree';

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
    why: 'pyplot keeps a reference to every figure it creates until `plt.close()`; a loop that makes a figure per iteration keeps all of them, with their canvases and data, in memory.',
    whatToDo:
      'Close each figure when done with it (`plt.close(fig)` after `fig.savefig(...)`), or reuse one figure and clear it.',
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
      const written = call.childForFieldName('function')!.text;
      report({
        ...nodeRange(call),
        message: `${written}() inside a loop creates a figure every iteration and nothing closes it; call plt.close(fig) when done.`,
        fix: null
      });
    }
  }
};

/**
 * `plt.figure(1)`, `plt.figure("loss")`, `plt.subplots(num=1)`: a constant
 * figure number or label returns the existing figure instead of a new one.
 */
function reusesFigure(call: Node): boolean {
  const { positional, keywords } = callArguments(call);
  const isFigure = call.childForFieldName('function')?.text.endsWith('figure');
  const num = keywords.get('num') ?? (isFigure ? positional[0] : undefined);
  return !!num && ['integer', 'string'].includes(num.type);
}

/** The loop's body closes or shows figures. */
function releases(loop: Node, aliases: Aliases): boolean {
  const body = loop.childForFieldName('body');
  return !!body
    ?.descendantsOfType('call')
    .some(c => RELEASERS.has(qualifiedCallee(c, aliases) ?? ''));
}

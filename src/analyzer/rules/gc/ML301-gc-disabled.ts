/**
 * ML301: `gc.disable()` with no `gc.enable()` after it in the notebook:
 * reference cycles are never collected again in this kernel.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { nodeRange } from '../../syntax/tree';
import type { INotebookRule } from '../../types';
import { cellCalls } from '../helpers/calls';
import { perCell } from '../helpers/cell-cache';

/** ML301: the cycle collector switched off for good. */
export const ML301: INotebookRule = {
  id: 'ML301',
  name: 'gc-disabled',
  title: 'Garbage collector disabled and never re-enabled',
  severity: 'warning',
  scope: 'notebook',
  docs: {
    why: 'With the cycle collector disabled, objects in reference cycles (DataFrames referenced from closures, tracebacks, parent/child objects) are never freed; memory grows with every run.',
    whatToDo:
      'Re-enable it right after the critical section, ideally in `try/finally`, or use `gc.freeze()` to exclude long-lived objects from collection instead.',
    bad: 'import gc\ngc.disable()\nresult = build_graph(data)',
    good: 'import gc\ngc.disable()\ntry:\n    result = build_graph(data)\nfinally:\n    gc.enable()'
  },
  check({ cells, report }) {
    const modules = new Set(['gc']);
    const bare = new Set<string>();
    if (!cells.some(mentionsDisable)) {
      return;
    }
    for (const cell of cells) {
      factsOf(cell).modules.forEach(name => modules.add(name));
      factsOf(cell).bare.forEach(name => bare.add(name));
    }
    const calls: {
      cell: number;
      node: SyntaxNode;
      kind: 'enable' | 'disable';
    }[] = [];
    for (const cell of cells) {
      for (const { node, name } of factsOf(cell).calls) {
        const kind = gcCall(name, modules, bare);
        if (kind) {
          calls.push({ cell: cell.index, node, kind });
        }
      }
    }
    calls.forEach((call, i) => {
      if (call.kind !== 'disable') {
        return;
      }
      if (calls.slice(i + 1).some(other => other.kind === 'enable')) {
        return;
      }
      report(call.cell, {
        ...nodeRange(call.node),
        message: `\`${call.node.text}\` is never followed by \`gc.enable()\`; reference cycles will not be collected.`,
        fix: null
      });
    });
  }
};

/** The cell's text mentions `disable` (once per parsed cell). */
const mentionsDisable = perCell(cell => cell.masked.includes('disable'));

/** ML301's facts about one cell, computed once per parsed cell. */
const factsOf = perCell(cell => {
  const modules = new Set<string>();
  const bare = new Set<string>();
  collectImports(cell.root, modules, bare);
  const calls: { node: SyntaxNode; name: string }[] = [];
  if (/\b(enable|disable)\b/.test(cell.masked)) {
    for (const { call, dotted } of cellCalls(cell)) {
      if (dotted) {
        calls.push({ node: call, name: dotted });
      }
    }
  }
  return { modules, bare, calls };
});

function gcCall(
  name: string,
  modules: ReadonlySet<string>,
  bare: ReadonlySet<string>
): 'enable' | 'disable' | null {
  const parts = name.split('.');
  const last = parts[parts.length - 1];
  if (last !== 'enable' && last !== 'disable') {
    return null;
  }
  if (parts.length === 2 && modules.has(parts[0])) {
    return last;
  }
  return parts.length === 1 && bare.has(last) ? last : null;
}

/** `import gc as g` → g; `from gc import disable as d` → d (as disable). */
function collectImports(
  root: SyntaxNode,
  modules: Set<string>,
  bare: Set<string>
): void {
  if (!root.text.includes('gc')) {
    return;
  }
  for (const node of root.descendantsOfType([
    'import_statement',
    'import_from_statement'
  ])) {
    if (!node) {
      continue;
    }
    const text = node.text.replace(/\s+/g, ' ');
    const alias = /^import gc as (\w+)$/.exec(text);
    if (alias) {
      modules.add(alias[1]);
    }
    if (/^from gc import /.test(text)) {
      for (const name of ['enable', 'disable']) {
        if (new RegExp(`\\b${name}\\b(?! as)`).test(text)) {
          bare.add(name);
        }
      }
    }
  }
}

/**
 * Every call of a cell with its callee's names, read out of the tree once
 * per parsed cell and shared by the rules that look for particular callees
 * (most calls of a cell interest no rule, and reading a callee crosses into
 * wasm several times).
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { IParsedCell } from '../../types';
import { perCell } from './cell-cache';
import { dottedName } from '../../syntax/tree';

/** One call of a cell. */
export interface ICallInfo {
  call: SyntaxNode;
  /** The callee as a dotted name (`np.zeros`, `open`), or null. */
  dotted: string | null;
  /**
   * The callee's last segment: `open` for `open(...)`, `gzip.open(...)` and
   * `Path(p).open(...)`; empty when the callee is neither a name nor an
   * attribute.
   */
  tail: string;
}

/** The cell's calls in source order (pre-order, as `descendantsOfType`). */
export const cellCalls: (cell: IParsedCell) => readonly ICallInfo[] = perCell(
  cell =>
    cell.root.descendantsOfType('call').map(call => {
      const fn = call.childForFieldName('function');
      const dotted = dottedName(fn);
      let tail = '';
      if (dotted !== null) {
        tail = dotted.slice(dotted.lastIndexOf('.') + 1);
      } else if (fn?.type === 'attribute') {
        tail = fn.childForFieldName('attribute')?.text ?? '';
      }
      return { call, dotted, tail };
    })
);

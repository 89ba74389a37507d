/**
 * ML403: a huge dense `np.zeros` array (≥ 10 million elements, size known
 * from literals) that is then filled element by element in a loop. Such
 * arrays are usually mostly zeros: a `scipy.sparse` matrix stores only the
 * entries that are set.
 */
import type { Node } from 'web-tree-sitter';
import type { INotebookRule, IParsedCell } from '../types';
import { Aliases, importAliases, qualifiedCallee } from './util/names';
import {
  callArguments,
  enclosingLoops,
  enclosingScope,
  loopTargets,
  nodeRange
} from './util/tree';

/** Elements at which a dense allocation counts as large. */
export const LARGE_ELEMENTS = 10_000_000;

const DTYPE_BYTES = new Map([
  ['float64', 8],
  ['float', 8],
  ['double', 8],
  ['f8', 8],
  ['float32', 4],
  ['single', 4],
  ['f4', 4],
  ['float16', 2],
  ['half', 2],
  ['int64', 8],
  ['int', 8],
  ['int_', 8],
  ['i8', 8],
  ['int32', 4],
  ['i4', 4],
  ['uint32', 4],
  ['int16', 2],
  ['uint16', 2],
  ['int8', 1],
  ['uint8', 1],
  ['bool', 1],
  ['bool_', 1],
  ['complex128', 16],
  ['complex', 16],
  ['complex64', 8]
]);

/** A large `name = np.zeros(<literal shape>)`. */
interface IAllocation {
  cell: IParsedCell;
  call: Node;
  name: string;
  shape: number[];
  elements: number;
  bytes: number;
  /** Where fills count: the defining function, or the whole notebook. */
  scope: Node | null;
}

/** ML403: large dense array filled element-wise. */
export const ML403: INotebookRule = {
  id: 'ML403',
  name: 'dense-sparse',
  title: 'Large dense array filled element by element',
  severity: 'warning',
  scope: 'notebook',
  docs: {
    why: '`np.zeros((N, M))` commits N×M×8 bytes up front. When the array is then filled one entry at a time in a loop, it usually ends up mostly zeros, so nearly all of that memory holds nothing.',
    whatToDo:
      'Build a `scipy.sparse.lil_matrix((N, M))` (or collect row/column/value lists and create a `coo_matrix` once), then convert with `.tocsr()` for arithmetic.',
    bad: 'import numpy as np\n\nadj = np.zeros((50_000, 50_000))\nfor i, j in edges:\n    adj[i, j] = 1',
    good: 'from scipy import sparse\n\nadj = sparse.lil_matrix((50_000, 50_000))\nfor i, j in edges:\n    adj[i, j] = 1\nadj = adj.tocsr()'
  },
  check({ cells, report }) {
    const aliases = importAliases(cells.map(c => c.root));
    const constants = integerConstants(cells);
    for (const allocation of largeAllocations(cells, aliases, constants)) {
      const fill = elementwiseFill(allocation, cells);
      if (!fill) {
        continue;
      }
      const { name, shape, elements, bytes } = allocation;
      const where = `cell ${fill.cell.index + 1}, line ${fill.node.startPosition.row + 1}`;
      report(allocation.cell.index, {
        ...nodeRange(allocation.call),
        message: `\`${name}\` is a dense ${shape.join(' × ')} array (${elements.toLocaleString('en-US')} elements, ${formatBytes(bytes)}) filled element by element (${where}); if most entries stay zero use \`scipy.sparse.lil_matrix\` or build a \`coo_matrix\` from the coordinates.`,
        fix: null
      });
    }
  }
};

/** Top-level `NAME = <integer expression>` bound exactly once in the notebook. */
function integerConstants(cells: readonly IParsedCell[]): Map<string, number> {
  const values = new Map<string, number>();
  const seen = new Set<string>();
  for (const cell of cells) {
    for (const assignment of cell.root.descendantsOfType([
      'assignment',
      'augmented_assignment'
    ])) {
      const left = assignment.childForFieldName('left');
      if (left?.type !== 'identifier') {
        continue;
      }
      const right = assignment.childForFieldName('right');
      const value =
        assignment.type === 'assignment' &&
        assignment.parent?.parent?.type === 'module' &&
        right
          ? evaluate(right, values, false)
          : null;
      if (seen.has(left.text) || value === null) {
        values.delete(left.text);
      } else {
        values.set(left.text, value);
      }
      seen.add(left.text);
    }
  }
  return values;
}

/**
 * The integer value of a constant expression: literals (`10_000`), known
 * names, `* + - // **`, `int(...)`. Floats only inside `int(...)`.
 */
function evaluate(
  node: Node,
  constants: Map<string, number>,
  allowFloat: boolean
): number | null {
  switch (node.type) {
    case 'integer': {
      const value = Number(node.text.replace(/_/g, ''));
      return Number.isSafeInteger(value) ? value : null;
    }
    case 'float': {
      const value = Number(node.text.replace(/_/g, ''));
      return allowFloat && Number.isFinite(value) ? Math.trunc(value) : null;
    }
    case 'identifier':
      return constants.get(node.text) ?? null;
    case 'parenthesized_expression':
      return node.namedChildCount === 1
        ? evaluate(node.namedChild(0)!, constants, allowFloat)
        : null;
    case 'call': {
      const args = callArguments(node);
      return node.childForFieldName('function')?.text === 'int' &&
        args.positional.length === 1
        ? evaluate(args.positional[0], constants, true)
        : null;
    }
    case 'binary_operator': {
      const left = evaluate(
        node.childForFieldName('left')!,
        constants,
        allowFloat
      );
      const right = evaluate(
        node.childForFieldName('right')!,
        constants,
        allowFloat
      );
      if (left === null || right === null) {
        return null;
      }
      switch (node.childForFieldName('operator')?.text) {
        case '*':
          return left * right;
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '//':
          return right === 0 ? null : Math.floor(left / right);
        case '**':
          return right >= 0 && right < 64 ? left ** right : null;
        default:
          return null;
      }
    }
    default:
      return null;
  }
}

function largeAllocations(
  cells: readonly IParsedCell[],
  aliases: Aliases,
  constants: Map<string, number>
): IAllocation[] {
  const found: IAllocation[] = [];
  for (const cell of cells) {
    for (const assignment of cell.root.descendantsOfType('assignment')) {
      const left = assignment.childForFieldName('left');
      const call = assignment.childForFieldName('right');
      if (
        left?.type !== 'identifier' ||
        call?.type !== 'call' ||
        qualifiedCallee(call, aliases) !== 'numpy.zeros'
      ) {
        continue;
      }
      const args = callArguments(call);
      const shapeNode = args.positional[0] ?? args.keywords.get('shape');
      const shape = shapeNode ? shapeOf(shapeNode, constants) : null;
      const elements = shape?.reduce((a, b) => a * b, 1) ?? 0;
      if (!shape || elements < LARGE_ELEMENTS) {
        continue;
      }
      const dtype = args.positional[1] ?? args.keywords.get('dtype');
      const scope = enclosingScope(assignment);
      found.push({
        cell,
        call,
        name: left.text,
        shape,
        elements,
        bytes: elements * dtypeBytes(dtype),
        scope: scope.type === 'module' ? null : scope
      });
    }
  }
  return found;
}

function shapeOf(node: Node, constants: Map<string, number>): number[] | null {
  const items =
    node.type === 'tuple' || node.type === 'list'
      ? node.namedChildren.filter(c => c.type !== 'comment')
      : [node];
  const dims = items.map(item => evaluate(item, constants, false));
  return dims.length > 0 && dims.every(d => d !== null && d > 0)
    ? (dims as number[])
    : null;
}

function dtypeBytes(dtype: Node | undefined): number {
  if (!dtype) {
    return 8;
  }
  const name =
    dtype.text
      .replace(/^['"]|['"]$/g, '')
      .split('.')
      .pop() ?? '';
  return DTYPE_BYTES.get(name) ?? 8;
}

/**
 * The first `name[i, j] = ...` (or `name[i][j]`, `+=`) inside a `for` loop
 * whose indices are per-element (no slices) and depend on a loop variable.
 * A plain dense sweep (`for i in range(..): for j in range(..): a[i, j] = ..`
 * with no condition) fills every entry and is not a sparse candidate.
 */
function elementwiseFill(
  allocation: IAllocation,
  cells: readonly IParsedCell[]
): { cell: IParsedCell; node: Node } | null {
  const regions = allocation.scope
    ? [{ cell: allocation.cell, root: allocation.scope }]
    : cells.map(cell => ({ cell, root: cell.root }));
  for (const { cell, root } of regions) {
    for (const statement of root.descendantsOfType([
      'assignment',
      'augmented_assignment'
    ])) {
      const indices = elementIndices(
        statement.childForFieldName('left'),
        allocation.name
      );
      if (!indices || indices.length !== allocation.shape.length) {
        continue;
      }
      const loops = enclosingLoops(statement).filter(
        l => l.type === 'for_statement'
      );
      const targets = new Set(loops.flatMap(loopTargets));
      const perElement = indices.every(
        i =>
          i.type !== 'slice' &&
          !['list', 'tuple', 'list_comprehension'].includes(i.type) &&
          mentionsAny(i, targets)
      );
      if (perElement && !isDenseSweep(statement, indices, loops)) {
        return { cell, node: statement };
      }
    }
  }
  return null;
}

/** `[i, j]` for `name[i, j]` or `name[i][j]`; null for other targets. */
function elementIndices(target: Node | null, name: string): Node[] | null {
  const chain: Node[][] = [];
  let current = target;
  while (current?.type === 'subscript') {
    chain.unshift(current.childrenForFieldName('subscript'));
    current = current.childForFieldName('value');
  }
  return current?.type === 'identifier' &&
    current.text === name &&
    chain.length > 0
    ? chain.flat()
    : null;
}

function mentionsAny(node: Node, names: Set<string>): boolean {
  return (
    (node.type === 'identifier' && names.has(node.text)) ||
    node.descendantsOfType('identifier').some(id => names.has(id.text))
  );
}

/** Distinct bare `range` loop variables as indices, with no `if` in between. */
function isDenseSweep(
  statement: Node,
  indices: Node[],
  loops: Node[]
): boolean {
  const names = indices.map(i => (i.type === 'identifier' ? i.text : ''));
  if (names.includes('') || new Set(names).size !== names.length) {
    return false;
  }
  const rangeTargets = new Set(
    loops
      .filter(
        l =>
          l.childForFieldName('right')?.childForFieldName('function')?.text ===
          'range'
      )
      .flatMap(loopTargets)
  );
  if (!names.every(n => rangeTargets.has(n))) {
    return false;
  }
  const outermost = loops[loops.length - 1];
  for (
    let node = statement.parent;
    node && node.id !== outermost.id;
    node = node.parent
  ) {
    if (
      ['if_statement', 'try_statement', 'while_statement'].includes(node.type)
    ) {
      return false;
    }
  }
  return true;
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/**
 * ML403: a huge dense `np.zeros` array (≥ 10 million elements, size known
 * from literals) that is then filled element by element in a loop. Such
 * arrays are usually mostly zeros: a `scipy.sparse` matrix stores only the
 * entries that are set.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { INotebookRule, IParsedCell } from '../../types';
import { perCell, perObject } from '../helpers/cell-cache';
import {
  ConstExpr,
  constExpr,
  evaluate,
  mentionsNames
} from '../../syntax/const-expr';
import { notebookAliases, qualify } from '../helpers/names';
import { callArguments, dottedName, nodeRange } from '../../syntax/tree';
import {
  enclosingLoops,
  enclosingScope,
  loopTargets
} from '../../semantic/scopes';
import { formatBytes } from '../../../common/bytes';

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
  call: SyntaxNode;
  name: string;
  shape: number[];
  elements: number;
  bytes: number;
  /** Where fills count: the defining function, or the whole notebook. */
  scope: SyntaxNode | null;
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
    const aliases = notebookAliases(cells);
    // Bare names imported as numpy.zeros (`from numpy import zeros`).
    const bare = new Set(
      [...aliases].filter(([, q]) => q === 'numpy.zeros').map(([n]) => n)
    );
    let constants: Map<string, number> | null = null;
    for (const cell of cells) {
      for (const candidate of zerosCandidates(cell, bare)) {
        if (qualify(candidate.callee, aliases) !== 'numpy.zeros') {
          continue;
        }
        if (zerosCall(candidate).named) {
          constants ??= integerConstants(cells);
        }
        const allocation = largeAllocation(cell, candidate, constants ?? NONE);
        const fill = allocation && elementwiseFill(allocation, cells);
        if (!allocation || !fill) {
          continue;
        }
        const { name, shape, elements, bytes } = allocation;
        const where = `cell ${fill.cell.index + 1}, line ${fill.node.startPosition.row + 1}`;
        report(cell.index, {
          ...nodeRange(allocation.call),
          message: `\`${name}\` is a dense ${shape.join(' × ')} array (${elements.toLocaleString('en-US')} elements, ${formatBytes(bytes)}) filled element by element (${where}); if most entries stay zero use \`scipy.sparse.lil_matrix\` or build a \`coo_matrix\` from the coordinates.`,
          fix: null
        });
      }
    }
  }
};

/** `name = f(...)` anywhere in a cell: a possible allocation. */
interface ICallAssignment {
  name: string;
  call: SyntaxNode;
  /** The dotted callee as written (`np.zeros`), or null. */
  callee: string | null;
  assignment: SyntaxNode;
}

/** ML403's facts about one cell, computed once per parsed cell. */
interface ICellFacts {
  /** Assignments to a bare name, in source order (nested ones included). */
  assignments: { name: string; value: ConstExpr; topLevel: boolean }[];
  /** Calls of `<something>.zeros`, in source order. */
  calls: ICallAssignment[];
  /** Calls of a bare name (`zeros(...)` may be imported), in source order. */
  bare: ICallAssignment[];
}

const NONE: ReadonlyMap<string, number> = new Map();

/** The cell's possible `numpy.zeros` calls, in source order. */
function zerosCandidates(
  cell: IParsedCell,
  bare: ReadonlySet<string>
): ICallAssignment[] {
  const calls = zerosCalls(cell);
  const named =
    bare.size === 0
      ? []
      : factsOf(cell).bare.filter(c => bare.has(c.callee ?? ''));
  return named.length === 0
    ? calls
    : [...calls, ...named].sort(
        (a, b) => a.assignment.startIndex - b.assignment.startIndex
      );
}

/**
 * The cell's `<something>.zeros` calls. Most cells never mention `zeros`:
 * their walk is skipped until a bare name is imported as numpy.zeros.
 */
const zerosCalls = perCell(cell =>
  cell.masked.includes('zeros') ? factsOf(cell).calls : NO_CALLS
);

const NO_CALLS: ICallAssignment[] = [];

const factsOf = perCell((cell): ICellFacts => {
  const facts: ICellFacts = { assignments: [], calls: [], bare: [] };
  for (const assignment of cell.root.descendantsOfType([
    'assignment',
    'augmented_assignment'
  ])) {
    const left = assignment.childForFieldName('left');
    if (left?.type !== 'identifier') {
      continue;
    }
    const right = assignment.childForFieldName('right');
    const plain = assignment.type === 'assignment';
    const topLevel =
      plain && assignment.parent?.parent?.type === 'module' && !!right;
    facts.assignments.push({
      name: left.text,
      value: topLevel ? constExpr(right) : null,
      topLevel
    });
    if (plain && right?.type === 'call') {
      const callee = dottedName(right.childForFieldName('function'));
      const candidate = { name: left.text, call: right, callee, assignment };
      if (callee?.endsWith('.zeros')) {
        facts.calls.push(candidate);
      } else if (callee && !callee.includes('.')) {
        facts.bare.push(candidate);
      }
    }
  }
  return facts;
});

/** Top-level `NAME = <integer expression>` bound exactly once in the notebook. */
function integerConstants(cells: readonly IParsedCell[]): Map<string, number> {
  const values = new Map<string, number>();
  const seen = new Set<string>();
  for (const cell of cells) {
    for (const { name, value, topLevel } of factsOf(cell).assignments) {
      const result = topLevel ? evaluate(value, values) : null;
      if (seen.has(name) || result === null) {
        values.delete(name);
      } else {
        values.set(name, result);
      }
      seen.add(name);
    }
  }
  return values;
}

/** The syntax of an `np.zeros(...)` call, read once. */
const zerosCall = perObject((candidate: ICallAssignment) => {
  const args = callArguments(candidate.call);
  const shapeNode = args.positional[0] ?? args.keywords.get('shape');
  const items = !shapeNode
    ? null
    : shapeNode.type === 'tuple' || shapeNode.type === 'list'
      ? shapeNode.namedChildren.filter(c => c.type !== 'comment')
      : [shapeNode];
  const scope = enclosingScope(candidate.assignment);
  const shape = items?.map(constExpr) ?? null;
  return {
    shape,
    /** The shape mentions names (needs the notebook's constants). */
    named: shape?.some(mentionsNames) ?? false,
    dtypeBytes: dtypeBytes(args.positional[1] ?? args.keywords.get('dtype')),
    scope: scope.type === 'module' ? null : scope
  };
});

function largeAllocation(
  cell: IParsedCell,
  candidate: ICallAssignment,
  constants: ReadonlyMap<string, number>
): IAllocation | null {
  const syntax = zerosCall(candidate);
  const dims = syntax.shape?.map(dim => evaluate(dim, constants)) ?? [];
  const shape =
    dims.length > 0 && dims.every(d => d !== null && d > 0)
      ? (dims as number[])
      : null;
  const elements = shape?.reduce((a, b) => a * b, 1) ?? 0;
  if (!shape || elements < LARGE_ELEMENTS) {
    return null;
  }
  return {
    cell,
    call: candidate.call,
    name: candidate.name,
    shape,
    elements,
    bytes: elements * syntax.dtypeBytes,
    scope: syntax.scope
  };
}

function dtypeBytes(dtype: SyntaxNode | undefined): number {
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
): { cell: IParsedCell; node: SyntaxNode } | null {
  const regions = allocation.scope
    ? [{ cell: allocation.cell, root: allocation.scope }]
    : cells.map(cell => ({ cell, root: cell.root }));
  const { name, shape } = allocation;
  for (const { cell, root } of regions) {
    const cache = fills(cell);
    const key = `${root.id}:${name}:${shape.length}`;
    let node = cache.get(key);
    if (node === undefined) {
      node = fillIn(root, name, shape.length);
      cache.set(key, node);
    }
    if (node) {
      return { cell, node };
    }
  }
  return null;
}

/** Fill statements found so far in a cell, by region, name and rank. */
const fills = perCell(() => new Map<string, SyntaxNode | null>());

/** The first element-wise fill of `name` (of rank `rank`) under `root`. */
function fillIn(
  root: SyntaxNode,
  name: string,
  rank: number
): SyntaxNode | null {
  for (const statement of root.descendantsOfType([
    'assignment',
    'augmented_assignment'
  ])) {
    const indices = elementIndices(statement.childForFieldName('left'), name);
    if (!indices || indices.length !== rank) {
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
      return statement;
    }
  }
  return null;
}

/** `[i, j]` for `name[i, j]` or `name[i][j]`; null for other targets. */
function elementIndices(
  target: SyntaxNode | null,
  name: string
): SyntaxNode[] | null {
  const chain: SyntaxNode[][] = [];
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

function mentionsAny(node: SyntaxNode, names: Set<string>): boolean {
  return (
    (node.type === 'identifier' && names.has(node.text)) ||
    node.descendantsOfType('identifier').some(id => names.has(id.text))
  );
}

/** Distinct bare `range` loop variables as indices, with no `if` in between. */
function isDenseSweep(
  statement: SyntaxNode,
  indices: SyntaxNode[],
  loops: SyntaxNode[]
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

/**
 * Sizes a notebook's saved outputs tell: what `df.info()` printed as its
 * memory usage, the shape `df.shape` or `print(df.shape)` showed, the
 * `[N rows x M columns]` footer of a displayed frame. Each is the size of
 * the value a name held when the cell ran, so it belongs to the name's
 * binding at or before that cell. The largeness replay uses them to drop
 * "large" loads that the notebook itself showed to be small.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { namedChildren } from '../../syntax/tree';
import type { ICellDataflow, INotebookDataflow } from '../../types';

/**
 * Bytes per cell of a shown shape, counted as if every cell were a short
 * object string: a value is taken to be small only when it is small even
 * then (a number costs 8 bytes, a short string ~60).
 */
const BYTES_PER_ITEM = 64;
/**
 * `info()` prints "memory usage: 4.1+ MB" when object columns are counted
 * shallow: their strings can cost several times that.
 */
const SHALLOW_FACTOR = 8;

const UNITS: Record<string, number> = {
  bytes: 1,
  KB: 2 ** 10,
  MB: 2 ** 20,
  GB: 2 ** 30,
  TB: 2 ** 40
};

/** A name and the size an output showed for it. */
interface ISeen {
  name: string;
  bytes: number;
}

const cache = new WeakMap<INotebookDataflow, ReadonlyMap<string, number>>();

/**
 * The smallest size the saved outputs showed for each binding, keyed
 * `position|name` (the dataflow position of the cell that bound the name).
 */
export function savedSizes(
  dataflow: INotebookDataflow
): ReadonlyMap<string, number> {
  let found = cache.get(dataflow);
  if (!found) {
    found = collect(dataflow);
    cache.set(dataflow, found);
  }
  return found;
}

function collect(dataflow: INotebookDataflow): ReadonlyMap<string, number> {
  const sizes = new Map<string, number>();
  const outputs = dataflow.outputs;
  if (!outputs || outputs.size === 0) {
    return sizes;
  }
  dataflow.cells.forEach((flow, position) => {
    const text = outputs.get(flow.cell);
    const root = text ? rootOf(flow) : null;
    if (!text || !root) {
      return;
    }
    for (const { name, bytes } of seenIn(root, text)) {
      const at = bindingPosition(dataflow.cells, position, name);
      if (at < 0) {
        continue;
      }
      const key = `${at}|${name}`;
      sizes.set(key, Math.min(bytes, sizes.get(key) ?? Infinity));
    }
  });
  return sizes;
}

/** The cell's module node, reached from any of its statements. */
function rootOf(flow: ICellDataflow): SyntaxNode | null {
  const statement = flow.defs[0]?.statement ?? flow.refs[0]?.statement;
  return statement?.parent ?? null;
}

/** The last position at or before `position` that binds `name`, or -1. */
function bindingPosition(
  cells: readonly ICellDataflow[],
  position: number,
  name: string
): number {
  for (let p = position; p >= 0; p--) {
    if (cells[p].defs.some(def => def.name === name)) {
      return p;
    }
  }
  return -1;
}

/** The sizes one cell's outputs show, with the names they belong to. */
function seenIn(root: SyntaxNode, text: string): ISeen[] {
  const statements = namedChildren(root).filter(n => n.type !== 'comment');
  const seen: ISeen[] = [];
  // `df.info()` prints "memory usage: 59.9+ MB"
  const info = calledOn(statements, 'info');
  const usage = [
    ...text.matchAll(/memory usage: ([\d.]+)(\+?) (bytes|[KMGT]B)/g)
  ];
  if (info.length === 1 && usage.length === 1) {
    const [, amount, shallow, unit] = usage[0];
    seen.push({
      name: info[0],
      bytes: Number(amount) * UNITS[unit] * (shallow ? SHALLOW_FACTOR : 1)
    });
  }
  // `df.shape` as the result, or one `print(df.shape)`
  const shapes = [...text.matchAll(/^\((\d+)(?:, (\d+))?,?\)$/gm)];
  const shown = shapeShown(statements);
  if (shown && shapes.length === 1) {
    const [, rows, columns] = shapes[0];
    seen.push({
      name: shown,
      bytes: Number(rows) * Number(columns ?? 1) * BYTES_PER_ITEM
    });
  } else {
    seen.push(...shapesInOrder(statements, text));
  }
  // a displayed frame's footer: "[768 rows x 9 columns]"
  const last = statements[statements.length - 1];
  const footer = [...text.matchAll(/^\[(\d+) rows x (\d+) columns\]$/gm)];
  const expression =
    last?.type === 'expression_statement' ? last.namedChild(0) : null;
  if (expression?.type === 'identifier' && footer.length === 1) {
    seen.push({
      name: expression.text,
      bytes: Number(footer[0][1]) * Number(footer[0][2]) * BYTES_PER_ITEM
    });
  }
  return seen;
}

/**
 * Several shapes shown at once (`a.shape, b.shape` → `((891, 12), (418,
 * 11))`, `print(a.shape, b.shape)`): when the cell's whole output is
 * those shapes, each belongs to its name, in order.
 */
function shapesInOrder(
  statements: readonly SyntaxNode[],
  text: string
): ISeen[] {
  if (!/^[\s(),\d]+$/.test(text)) {
    return [];
  }
  const names: string[] = [];
  for (const [i, statement] of statements.entries()) {
    const value = statement.type === 'expression_statement' ? statement : null;
    const call = value?.namedChild(0);
    let parts: SyntaxNode[] = [];
    if (
      call?.type === 'call' &&
      call.childForFieldName('function')?.text === 'print'
    ) {
      parts = namedChildren(call.childForFieldName('arguments')!);
    } else if (value && i === statements.length - 1) {
      // `a.shape, b.shape` or `(a.shape, b.shape)` as the cell's result
      parts =
        call?.type === 'tuple' ? namedChildren(call) : namedChildren(value);
    } else {
      continue;
    }
    const of = parts.map(shapeOf);
    if (of.some(name => name === null)) {
      return [];
    }
    names.push(...(of as string[]));
  }
  const shapes = [...text.matchAll(/\((\d+(?:, \d+)*),?\)/g)];
  if (names.length < 2 || shapes.length !== names.length) {
    return [];
  }
  return names.map((name, i) => ({
    name,
    bytes:
      shapes[i][1].split(', ').reduce((n, d) => n * Number(d), 1) *
      BYTES_PER_ITEM
  }));
}

/** `x` of `x.shape`, else null. */
function shapeOf(node: SyntaxNode | null): string | null {
  const object =
    node?.type === 'attribute' &&
    node.childForFieldName('attribute')?.text === 'shape'
      ? node.childForFieldName('object')
      : null;
  return object?.type === 'identifier' ? object.text : null;
}

/** The names `name.method()` is called on as a top-level statement. */
function calledOn(statements: readonly SyntaxNode[], method: string): string[] {
  const names: string[] = [];
  for (const statement of statements) {
    const call =
      statement.type === 'expression_statement'
        ? statement.namedChild(0)
        : null;
    const fn =
      call?.type === 'call' ? call.childForFieldName('function') : null;
    const object =
      fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (
      object?.type === 'identifier' &&
      fn?.childForFieldName('attribute')?.text === method
    ) {
      names.push(object.text);
    }
  }
  return names;
}

/**
 * The name whose `.shape` the cell shows: its last statement `x.shape`, or
 * its only `print(x.shape)`; null otherwise.
 */
function shapeShown(statements: readonly SyntaxNode[]): string | null {
  const printed: string[] = [];
  for (const statement of statements) {
    const call =
      statement.type === 'expression_statement'
        ? statement.namedChild(0)
        : null;
    if (
      call?.type === 'call' &&
      call.childForFieldName('function')?.text === 'print'
    ) {
      const args = namedChildren(call.childForFieldName('arguments')!);
      const name = args.length === 1 ? shapeOf(args[0]) : null;
      if (name) {
        printed.push(name);
      }
    }
  }
  const last = statements[statements.length - 1];
  const result =
    last?.type === 'expression_statement' && last.namedChildCount === 1
      ? shapeOf(last.namedChild(0))
      : null;
  if (result && printed.length === 0) {
    return result;
  }
  return !result && printed.length === 1 ? printed[0] : null;
}

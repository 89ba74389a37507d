/**
 * Which columns of a frame the notebook reads through a name (ML404's
 * `usecols=`): `df["a"]`, `df[["a", "b"]]`, `df.a`, `df[keep]` with `keep`
 * a list the cell spells, from the name's binding until it is rebound.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { nodeAt } from '../../syntax/tree';
import type {
  IBinding,
  INotebookRuleContext,
  IParsedCell,
  IReference
} from '../../types';
import { perObject } from '../helpers/cell-cache';
import { nameGroups, namePositions } from '../../semantic/dataflow/by-name';
import { positionOfCell } from '../../semantic/dataflow';
import { stringValue } from '../../semantic/dataflow/sources';
import { valueBoundBefore } from '../../semantic/scopes';

/**
 * The columns read through `binding.name` from its binding until it is
 * rebound, in order of first use; null when any use is not a column read.
 * Walks only the cells that mention the name (the by-name index).
 */
export function columnsUsed(
  context: INotebookRuleContext,
  cell: IParsedCell,
  binding: IBinding
): string[] | null {
  const { dataflow } = context;
  const name = binding.name;
  // a read bound inside a loop or block: which reads see which value is
  // not a question of position any more
  if (isCompound(binding.statement)) {
    return null;
  }
  const start = positionOfCell(dataflow, cell.index);
  const columns: string[] = [];
  const bindingEnd = binding.statement.endIndex;
  for (const position of namePositions(dataflow).get(name) ?? []) {
    if (position < start) {
      continue;
    }
    const flow = dataflow.cells[position];
    const group = nameGroups(flow).get(name);
    if (!group) {
      continue;
    }
    const sameCell = position === start;
    const rebinding = group.defs.find(
      def => !sameCell || def.statement.endIndex > bindingEnd
    );
    const rebound = rebinding?.statement ?? null;
    for (const ref of group.refs) {
      const at = ref.statement.endIndex;
      if (sameCell && at <= bindingEnd) {
        continue;
      }
      if (rebound && ref.statement === rebound && isCompound(rebound)) {
        return null; // `for df in chunks: df["a"]`: old or new value?
      }
      if (rebound && ref.statement.startIndex > rebound.startIndex) {
        continue; // reads the new value
      }
      if (ref.inFunction !== null) {
        return null;
      }
      const used = columnsOfRef(ref);
      if (!used) {
        return null;
      }
      for (const column of used) {
        if (!columns.includes(column)) {
          columns.push(column);
        }
      }
    }
    if (group.deletes.length > 0 || rebinding) {
      break;
    }
  }
  return columns;
}

/** {@link columnsOfUse} of a read, once per reference (cells re-run often). */
const columnsOfRef = perObject((ref: IReference) =>
  columnsOfUse(nodeAt(ref.statement, ref.range))
);

/**
 * `df["a"]` → [a]; `df[["a", "b"]]` → [a, b]; `df.a` (read, not called,
 * not a DataFrame property) → [a]; anything else → null.
 */
function columnsOfUse(id: SyntaxNode | null): string[] | null {
  const subscript = id?.parent;
  if (id?.type === 'identifier' && subscript?.type === 'attribute') {
    return columnOfAttribute(subscript);
  }
  if (
    id?.type !== 'identifier' ||
    subscript?.type !== 'subscript' ||
    subscript.childForFieldName('value')?.id !== id.id
  ) {
    return null;
  }
  // a write (`df["new"] = ...`) or `del df["a"]` is not a read of a subset
  const holder = subscript.parent;
  if (
    holder?.type === 'delete_statement' ||
    ((holder?.type === 'assignment' ||
      holder?.type === 'augmented_assignment') &&
      holder.childForFieldName('left')?.id === subscript.id)
  ) {
    return null;
  }
  return columnsOfIndex(subscript);
}

/**
 * The column names a subscript selects: `["a"]`, `[["a", "b"]]`, or a name
 * the same cell bound to such a list before (`keep = ["a", "b"]`, then
 * `df[keep]`); null for anything else.
 */
export function columnsOfIndex(subscript: SyntaxNode): string[] | null {
  const indices = subscript.childrenForFieldName('subscript');
  if (indices.length !== 1) {
    return null;
  }
  let index: SyntaxNode | null = indices[0];
  if (index.type === 'identifier') {
    index = valueBoundBefore(index);
    if (index?.type !== 'list') {
      return null;
    }
  }
  const items = index.type === 'list' ? index.namedChildren : [index];
  const names = items.map(stringValue);
  return items.length > 0 && names.every(n => n !== null)
    ? (names as string[])
    : null;
}

/**
 * DataFrame attributes that are not columns (its properties and indexers;
 * methods are told apart by being called).
 */
const FRAME_PROPERTIES = new Set([
  'T',
  'at',
  'attrs',
  'axes',
  'columns',
  'dtypes',
  'empty',
  'flags',
  'iat',
  'iloc',
  'index',
  'loc',
  'ndim',
  'plot',
  'shape',
  'size',
  'sparse',
  'style',
  'values'
]);

/** `df.a` read as a column: [a]; a property, a method or a write: null. */
function columnOfAttribute(attribute: SyntaxNode): string[] | null {
  const name = attribute.childForFieldName('attribute')?.text ?? '';
  const holder = attribute.parent;
  if (
    !/^[A-Za-z]\w*$/.test(name) ||
    FRAME_PROPERTIES.has(name) ||
    (holder?.type === 'call' &&
      holder.childForFieldName('function')?.id === attribute.id) ||
    // `df.a = ...` sets an attribute or a column: not a read
    ((holder?.type === 'assignment' ||
      holder?.type === 'augmented_assignment') &&
      holder.childForFieldName('left')?.id === attribute.id) ||
    holder?.type === 'delete_statement'
  ) {
    return null;
  }
  return [name];
}

/** A statement with a body (loop, `with`, `if`, `try`, `def`...). */
function isCompound(statement: SyntaxNode): boolean {
  return (
    (statement.type !== 'expression_statement' &&
      statement.childForFieldName('body') !== null) ||
    statement.type === 'if_statement' ||
    statement.type === 'try_statement'
  );
}

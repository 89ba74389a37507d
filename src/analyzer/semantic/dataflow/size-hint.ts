/**
 * What the source tells about a value's size in bytes, for messages that
 * say what acting saves: a numpy allocation with a literal shape and dtype,
 * or a load of a file whose size the host knows.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { calleeName, namedChildren } from '../../syntax/tree';
import { ALLOCATORS, NUMPY, READERS } from './producers';
import { literalCount, shapeDims } from './allocations';
import { stringValue } from './sources';

/** Bytes per element of the numpy dtypes a literal `dtype=` names. */
const ITEM_SIZES: Record<string, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  float16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
  float: 8,
  int: 8,
  complex64: 8,
  complex128: 16
};

/** What the source tells about a value's size: bytes, and how it knows. */
export interface ISizeHint {
  bytes: number;
  /** `allocation`: literal shape × dtype; `file`: the size of the file read. */
  basis: 'allocation' | 'file';
}

/**
 * The size the source shows for a value: a numpy allocation with a literal
 * shape (`np.zeros((10_000, 10_000), dtype="float32")`), or a load of a file
 * whose size the host knows (the file's own size: what was read); null
 * otherwise.
 */
export function sizeHint(
  value: SyntaxNode | null,
  fileSize: ((path: string) => number | null) | undefined
): ISizeHint | null {
  if (value?.type !== 'call') {
    return null;
  }
  const name = calleeName(value) ?? '';
  const parts = name.split('.');
  const last = parts[parts.length - 1];
  const all = namedChildren(value.childForFieldName('arguments')!);
  if (NUMPY.has(parts[0]) && parts.length === 2 && ALLOCATORS.has(last)) {
    const first = all[0];
    if (!first || first.type === 'keyword_argument') {
      return null;
    }
    const count = literalCount(shapeDims(first));
    if (count === null) {
      return null;
    }
    const dtype = all.find(
      a =>
        a.type === 'keyword_argument' &&
        a.childForFieldName('name')?.text === 'dtype'
    );
    const spelled = dtype
      ?.childForFieldName('value')
      ?.text.replace(/^(np|numpy)\./, '')
      .replace(/['"]/g, '');
    const itemSize = spelled === undefined ? 8 : ITEM_SIZES[spelled];
    return itemSize ? { bytes: count * itemSize, basis: 'allocation' } : null;
  }
  const source = all[0];
  const path = source ? stringValue(source) : null;
  const bytes = path !== null ? fileSize?.(path) : null;
  return bytes !== null && bytes !== undefined && READERS.test(last)
    ? { bytes, basis: 'file' }
    : null;
}

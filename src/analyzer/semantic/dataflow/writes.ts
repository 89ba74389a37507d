/**
 * Files a cell writes: `df.to_csv("out.csv")`, `np.save("a.npy", a)`,
 * `pickle.dump(obj, open("o.p", "wb"))`. A file the notebook wrote holds
 * what was written, so a later read of the same path is as large as the
 * written value (the largeness replay in `largeness.ts` tracks it).
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { IFileWrite } from '../../types';
import { calleeName, callArguments } from '../../syntax/tree';
import { stringValue } from './sources';

/** `obj.to_<format>(path)` methods of pandas/polars frames and series. */
const FRAME_WRITER =
  /^to_(csv|feather|parquet|excel|pickle|hdf|json|orc|stata|xml|sql)$/;
/** `module.function(path, value)` writers. */
const PATH_FIRST = new Set([
  'np.save',
  'numpy.save',
  'np.savez',
  'numpy.savez'
]);
/** `module.function(value, path or file)` writers. */
const VALUE_FIRST = new Set([
  'pickle.dump',
  'joblib.dump',
  'torch.save',
  'json.dump'
]);

/** The writes of a cell outside function and class bodies, in order. */
export function writesOf(root: SyntaxNode): IFileWrite[] {
  const writes: IFileWrite[] = [];
  for (const call of root.descendantsOfType('call')) {
    if (insideDefinition(call)) {
      continue;
    }
    const write = writeOf(call);
    if (write) {
      writes.push(write);
    }
  }
  return writes;
}

function writeOf(call: SyntaxNode): IFileWrite | null {
  const fn = call.childForFieldName('function');
  const { positional } = callArguments(call);
  if (fn?.type === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const receiver = fn.childForFieldName('object');
    if (FRAME_WRITER.test(method) && receiver && positional[0]) {
      return fileWrite(positional[0], receiver, call);
    }
  }
  const callee = calleeName(call) ?? '';
  if (PATH_FIRST.has(callee) && positional.length >= 2) {
    return fileWrite(positional[0], positional[1], call);
  }
  if (VALUE_FIRST.has(callee) && positional.length >= 2) {
    const target = positional[1];
    // pickle.dump(obj, open("o.p", "wb")): the path is the open call's
    const path =
      target.type === 'call' && calleeName(target) === 'open'
        ? callArguments(target).positional[0]
        : target;
    return path ? fileWrite(path, positional[0], call) : null;
  }
  return null;
}

function fileWrite(
  pathNode: SyntaxNode,
  value: SyntaxNode,
  call: SyntaxNode
): IFileWrite | null {
  const path = stringValue(pathNode);
  return path === null ? null : { path, value, at: call.startIndex };
}

function insideDefinition(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (
      n.type === 'function_definition' ||
      n.type === 'lambda' ||
      n.type === 'class_definition'
    ) {
      return true;
    }
  }
  return false;
}

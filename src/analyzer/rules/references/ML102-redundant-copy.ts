/**
 * ML102: copying an object that was just created, e.g. `list(sorted(xs))`.
 * The inner call already returns a fresh object; the outer copy doubles the
 * peak memory of that line for nothing.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { ICellRule } from '../../types';
import { cellCalls } from '../helpers/calls';
import {
  Aliases,
  cellAliases,
  qualifiedCallee,
  qualify
} from '../helpers/names';
import { callArguments, isConstantLiteral, nodeRange } from '../../syntax/tree';

/** NumPy calls that always return a new array. */
const FRESH_ARRAYS = new Set(
  [
    'zeros',
    'ones',
    'empty',
    'full',
    'zeros_like',
    'ones_like',
    'empty_like',
    'full_like',
    'arange',
    'linspace',
    'logspace',
    'eye',
    'identity',
    'concatenate',
    'stack',
    'vstack',
    'hstack',
    'random.rand',
    'random.randn',
    'random.random',
    'random.randint',
    'random.normal',
    'random.uniform'
  ].map(name => `numpy.${name}`)
);

/** Builtin copy → what a sole argument must be for the copy to be redundant. */
const BUILTIN_COPIES = new Map<string, (arg: SyntaxNode) => boolean>([
  [
    'list',
    arg =>
      ['list', 'list_comprehension'].includes(arg.type) ||
      isCallTo(arg, ['sorted', 'list'])
  ],
  ['tuple', arg => arg.type === 'tuple' || isCallTo(arg, ['tuple'])],
  [
    'set',
    arg =>
      ['set', 'set_comprehension'].includes(arg.type) || isCallTo(arg, ['set'])
  ],
  [
    'dict',
    arg =>
      ['dictionary', 'dictionary_comprehension'].includes(arg.type) ||
      isCallTo(arg, ['dict'])
  ]
]);

/** ML102: a redundant copy of a fresh object. */
export const ML102: ICellRule = {
  id: 'ML102',
  name: 'redundant-copy',
  title: 'Copy of an object that is already fresh',
  severity: 'info',
  scope: 'cell',
  docs: {
    why: 'The inner call already returns a new object; copying it again allocates a second full copy, doubling the peak memory of the line, and the first copy becomes garbage at once.',
    whatToDo:
      'Drop the outer copy: `sorted(xs)` is already a new list, `np.zeros(n)` already a new array.',
    bad: 'names = list(sorted(raw_names))\ngrid = np.array(np.zeros((4096, 4096)))',
    good: 'names = sorted(raw_names)\ngrid = np.zeros((4096, 4096))'
  },
  check({ cell, report }) {
    const aliases = cellAliases(cell);
    for (const { call, dotted, tail } of cellCalls(cell)) {
      const callee = qualify(dotted, aliases);
      // Only these callees can copy needlessly (see redundantInner).
      if (tail !== 'copy' && !COPIERS.has(callee ?? '')) {
        continue;
      }
      const inner = redundantInner(call, callee, aliases);
      if (!inner) {
        continue;
      }
      const outer = call.childForFieldName('function')?.text ?? 'copy';
      report({
        ...nodeRange(call),
        message: `\`${outer}(...)\` copies \`${abbreviate(inner.text)}\`, which is already a new object; drop the extra copy.`,
        fix: {
          description: `Use \`${abbreviate(inner.text)}\` directly`,
          edits: [{ cell: cell.index, ...nodeRange(call), text: inner.text }]
        }
      });
    }
  }
};

/** Callees {@link redundantInner} may flag besides `<x>.copy()`. */
const COPIERS = new Set([
  ...BUILTIN_COPIES.keys(),
  'numpy.array',
  'copy.copy',
  'copy.deepcopy',
  'deepcopy'
]);

/** The fresh inner expression `call` needlessly copies, or null. */
function redundantInner(
  call: SyntaxNode,
  callee: string | null,
  aliases: Aliases
): SyntaxNode | null {
  const fn = call.childForFieldName('function');
  // x.copy().copy()
  if (
    fn?.type === 'attribute' &&
    fn.childForFieldName('attribute')?.text === 'copy'
  ) {
    const receiver = fn.childForFieldName('object');
    if (
      receiver?.type === 'call' &&
      hasNoArguments(call) &&
      hasNoArguments(receiver) &&
      receiver.childForFieldName('function')?.type === 'attribute' &&
      receiver.childForFieldName('function')?.childForFieldName('attribute')
        ?.text === 'copy'
    ) {
      return receiver;
    }
  }
  const only = soleArgument(call);
  if (!only || !callee) {
    return null;
  }
  if (fn?.type === 'identifier' && BUILTIN_COPIES.get(callee)?.(only)) {
    return only;
  }
  if (callee === 'numpy.array') {
    const innerCallee =
      only.type === 'call' ? qualifiedCallee(only, aliases) : null;
    return innerCallee && FRESH_ARRAYS.has(innerCallee) ? only : null;
  }
  if (callee === 'copy.copy' && isLiteral(only)) {
    return only;
  }
  if (
    ['copy.deepcopy', 'deepcopy'].includes(callee) &&
    isConstantContainer(only)
  ) {
    return only;
  }
  return null;
}

/** The single positional argument of a call without keywords, or null. */
function soleArgument(call: SyntaxNode): SyntaxNode | null {
  const args = callArguments(call);
  return args.positional.length === 1 && args.keywords.size === 0 && !args.splat
    ? args.positional[0]
    : null;
}

function hasNoArguments(call: SyntaxNode): boolean {
  const args = callArguments(call);
  return (
    args.positional.length === 0 && args.keywords.size === 0 && !args.splat
  );
}

function isCallTo(node: SyntaxNode, names: string[]): boolean {
  const fn = node.type === 'call' ? node.childForFieldName('function') : null;
  return fn?.type === 'identifier' && names.includes(fn.text);
}

const LITERALS = [
  'list',
  'dictionary',
  'set',
  'list_comprehension',
  'dictionary_comprehension',
  'set_comprehension'
];

function isLiteral(node: SyntaxNode): boolean {
  return LITERALS.includes(node.type);
}

/** A list/dict/set/tuple literal whose items are all constants. */
function isConstantContainer(node: SyntaxNode): boolean {
  if (!['list', 'dictionary', 'set', 'tuple'].includes(node.type)) {
    return false;
  }
  return node.namedChildren.every(item => {
    if (item.type === 'comment') {
      return true;
    }
    if (item.type === 'pair') {
      const key = item.childForFieldName('key');
      const value = item.childForFieldName('value');
      return (
        !!key &&
        !!value &&
        isConstantLiteral(key) &&
        (isConstantLiteral(value) || isConstantContainer(value))
      );
    }
    return isConstantLiteral(item) || isConstantContainer(item);
  });
}

function abbreviate(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

/**
 * ML103: an accumulator rebuilt from itself with a copying call inside a
 * loop (`df = pd.concat([df, part])`, `arr = np.append(arr, x)`). Each
 * iteration copies everything gathered so far: quadratic time and memory
 * traffic, with two full copies alive at every step.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { ICellRule } from '../../types';
import {
  Aliases,
  cellAliases,
  qualifiedCallee,
  qualify
} from '../helpers/names';
import { callArguments, dottedName, nodeRange } from '../../syntax/tree';
import { bindingsOf, enclosingLoop, loopTargets } from '../../semantic/scopes';

/** Calls that build a new array/frame from a sequence of pieces. */
const JOINERS = new Map([
  ['pandas.concat', 'pd.concat'],
  ['numpy.concatenate', 'np.concatenate'],
  ['numpy.vstack', 'np.vstack'],
  ['numpy.hstack', 'np.hstack'],
  ['numpy.dstack', 'np.dstack'],
  ['numpy.row_stack', 'np.row_stack'],
  ['numpy.column_stack', 'np.column_stack']
]);

/** One accumulation found in a loop. */
interface IAccumulation {
  /** The accumulator, as written (`df`, `self.rows`). */
  target: string;
  /** Where the finding is anchored: the copying call / `.loc` subscript. */
  anchor: SyntaxNode;
  message: string;
}

/** ML103: quadratic accumulation by re-copying inside a loop. */
export const ML103: ICellRule = {
  id: 'ML103',
  name: 'quadratic-accumulation',
  title: 'Accumulator copied on every loop iteration',
  severity: 'warning',
  scope: 'cell',
  docs: {
    why: '`pd.concat`, `np.append`, `np.vstack`, `np.r_[...]` and friends always return a new object: rebuilding an accumulator from itself copies all rows so far on every iteration, so n iterations move O(n²) data and hold two full copies at each step.',
    whatToDo:
      'Collect the pieces in a Python list inside the loop and combine them once after it (`pd.concat(parts)`, `np.concatenate(parts)`, `pd.DataFrame(rows)`).',
    bad: 'df = pd.DataFrame()\nfor path in paths:\n    df = pd.concat([df, pd.read_csv(path)])',
    good: 'parts = [pd.read_csv(path) for path in paths]\ndf = pd.concat(parts, ignore_index=True)'
  },
  check({ cell, report }) {
    // The cell's text has no a loop: nothing to find.
    if (!/\b(for|while)\b/.test(cell.masked)) {
      return;
    }
    const aliases = cellAliases(cell);
    for (const assignment of cell.root.descendantsOfType('assignment')) {
      const found = accumulation(assignment, aliases);
      const loop = found ? enclosingLoop(assignment) : null;
      if (!found || !loop || !accumulatesAcross(loop, found.target, aliases)) {
        continue;
      }
      report({ ...nodeRange(found.anchor), message: found.message, fix: null });
    }
  }
};

/** The accumulation `assignment` performs, if it is one of the known forms. */
function accumulation(
  assignment: SyntaxNode,
  aliases: Aliases
): IAccumulation | null {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (!left || !right) {
    return null;
  }
  const target = dottedName(left);
  if (target && right.type === 'call') {
    return copyingCall(target, right, aliases);
  }
  if (target && right.type === 'subscript') {
    return indexTrick(target, right, aliases);
  }
  return growingLoc(left);
}

/** `t = pd.concat([t, ...])`, `t = np.append(t, ...)`, `t = t.append(...)`. */
function copyingCall(
  target: string,
  call: SyntaxNode,
  aliases: Aliases
): IAccumulation | null {
  const callee = qualifiedCallee(call, aliases);
  const args = callArguments(call);
  const first = args.positional[0];
  const joiner = callee ? JOINERS.get(callee) : undefined;
  if (joiner) {
    const pieces =
      first ?? args.keywords.get('objs') ?? args.keywords.get('tup');
    const items =
      pieces && ['list', 'tuple'].includes(pieces.type)
        ? pieces.namedChildren
        : [];
    if (!items.some(item => dottedName(item) === target)) {
      return null;
    }
    return {
      target,
      anchor: call,
      message: `\`${target} = ${joiner}([${target}, ...])\` copies all of \`${target}\` on every iteration; append the pieces to a list and call \`${joiner}\` once after the loop.`
    };
  }
  if (callee === 'numpy.append') {
    const array = first ?? args.keywords.get('arr');
    if (!array || dottedName(array) !== target) {
      return null;
    }
    return {
      target,
      anchor: call,
      message: `\`np.append(${target}, ...)\` copies the whole array \`${target}\` on every iteration; append the pieces to a list and call \`np.concatenate\` once after the loop.`
    };
  }
  const fn = call.childForFieldName('function');
  if (
    fn?.type === 'attribute' &&
    fn.childForFieldName('attribute')?.text === 'append' &&
    dottedName(fn.childForFieldName('object')) === target
  ) {
    // A list's append returns None, so `t = t.append(...)` is DataFrame.append.
    return {
      target,
      anchor: call,
      message: `\`${target} = ${target}.append(...)\` returns a full copy of the DataFrame \`${target}\` on every iteration (and is gone in pandas 2); collect the rows in a list and build the DataFrame once after the loop.`
    };
  }
  return null;
}

/** `t = np.r_[t, x]`, `t = np.c_[t, x]`: index tricks that concatenate. */
function indexTrick(
  target: string,
  subscript: SyntaxNode,
  aliases: Aliases
): IAccumulation | null {
  const value = subscript.childForFieldName('value');
  const trick = qualify(dottedName(value), aliases);
  if (trick !== 'numpy.r_' && trick !== 'numpy.c_') {
    return null;
  }
  const pieces = subscript.childrenForFieldName('subscript');
  if (!pieces.some(piece => dottedName(piece) === target)) {
    return null;
  }
  const written = value!.text;
  return {
    target,
    anchor: subscript,
    message: `\`${target} = ${written}[${target}, ...]\` copies the whole array \`${target}\` on every iteration; append the pieces to a list and call \`np.concatenate\` once after the loop.`
  };
}

/** `t.loc[len(t)] = row`. */
function growingLoc(left: SyntaxNode): IAccumulation | null {
  if (left.type !== 'subscript') {
    return null;
  }
  const value = left.childForFieldName('value');
  const indices = left.childrenForFieldName('subscript');
  if (
    value?.type !== 'attribute' ||
    value.childForFieldName('attribute')?.text !== 'loc' ||
    indices.length !== 1
  ) {
    return null;
  }
  const target = dottedName(value.childForFieldName('object'));
  const index = indices[0];
  const arg = index.type === 'call' ? callArguments(index).positional : [];
  if (
    !target ||
    index.childForFieldName('function')?.text !== 'len' ||
    arg.length !== 1 ||
    dottedName(arg[0]) !== target
  ) {
    return null;
  }
  return {
    target,
    anchor: left,
    message: `\`${target}.loc[len(${target})] = ...\` enlarges the DataFrame \`${target}\` one row at a time, copying it on every iteration; collect the rows in a list and build the DataFrame once after the loop.`
  };
}

/**
 * True unless the loop rebinds the accumulator some other way (the loop
 * variable itself, or a fresh value every iteration).
 */
function accumulatesAcross(
  loop: SyntaxNode,
  target: string,
  aliases: Aliases
): boolean {
  if (target.includes('.')) {
    return true;
  }
  if (loop.type === 'for_statement' && loopTargets(loop).includes(target)) {
    return false;
  }
  const body = loop.childForFieldName('body');
  return (
    !!body &&
    bindingsOf(target, body).every(
      binding =>
        binding.type === 'assignment' &&
        (accumulation(binding, aliases)?.target === target ||
          seeds(binding, target, body))
    )
  );
}

/**
 * `if acc is None: acc = piece` (or `if i == 0:`) inside the loop: the
 * first piece seeds the accumulator, every later one is joined onto it.
 */
function seeds(binding: SyntaxNode, target: string, body: SyntaxNode): boolean {
  for (let n = binding.parent; n && n !== body; n = n.parent) {
    if (n.type !== 'block' || n.parent?.type !== 'if_statement') {
      continue;
    }
    const branch = n.parent;
    if (branch.childForFieldName('consequence') !== n) {
      return false;
    }
    const condition = branch.childForFieldName('condition');
    return (
      !!condition &&
      ([condition, ...condition.descendantsOfType('identifier')].some(
        id => id.type === 'identifier' && id.text === target
      ) ||
        /==\s*0$/.test(condition.text))
    );
  }
  return false;
}

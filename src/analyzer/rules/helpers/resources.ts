/**
 * Resources (files, connections, pools, sockets) opened outside a `with`
 * block: where the opened object goes, and whether some code releases it.
 * Shared by ML601 (files) and ML603 (other resources). Pure syntax.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { Aliases, qualifiedCallee } from './names';
import { callArguments, dottedName, sameNode } from '../../syntax/tree';

/** An opened resource that no `with` statement manages. */
export interface IOpenedResource {
  /** The opening call, e.g. `open(p)`. */
  call: SyntaxNode;
  /**
   * The name or attribute the object is bound to (`f`, `self.conn`); null
   * when the object is used inline (`open(p).read()`, `for l in open(p)`).
   */
  target: SyntaxNode | null;
  /**
   * The statement `target = <call>` when it is a plain assignment statement
   * (not a walrus, not chained), else null.
   */
  statement: SyntaxNode | null;
}

/**
 * Calls that take ownership of a resource passed to them: `closing(x)`,
 * `stack.enter_context(x)`, `stack.push(x)`, `stack.callback(...)`, and
 * container insertions (`files.append(f)`) whose later closing we cannot see.
 */
const OWNERS = new Set([
  'closing',
  'enter_context',
  'enter_async_context',
  'push',
  'callback',
  'append',
  'appendleft',
  'extend',
  'insert',
  'add',
  'put',
  'setdefault',
  'register'
]);

/**
 * Where the object an opening call creates goes, or null when it is managed
 * or handed off: a `with` item, an argument of {@link OWNERS}, returned,
 * yielded, a lambda's result, stored into a container or a tuple, or any
 * position this helper does not understand (precision first).
 */
export function unmanagedResource(call: SyntaxNode): IOpenedResource | null {
  const parent = call.parent;
  if (!parent) {
    return null;
  }
  switch (parent.type) {
    case 'assignment':
      return boundBy(call, parent);
    case 'named_expression': {
      const name = parent.childForFieldName('name');
      return sameNode(parent.childForFieldName('value'), call) && name
        ? { call, target: name, statement: null }
        : null;
    }
    case 'attribute':
      // `open(p).read()`: the object is used once and dropped.
      return sameNode(parent.childForFieldName('object'), call)
        ? { call, target: null, statement: null }
        : null;
    case 'for_statement':
    case 'for_in_clause':
      return sameNode(parent.childForFieldName('right'), call)
        ? { call, target: null, statement: null }
        : null;
    case 'argument_list':
    case 'keyword_argument':
      return passedToOwner(parent) || consumedWhole(call, parent)
        ? null
        : { call, target: null, statement: null };
    default:
      return null;
  }
}

function boundBy(
  call: SyntaxNode,
  assignment: SyntaxNode
): IOpenedResource | null {
  const left = assignment.childForFieldName('left');
  if (
    !sameNode(assignment.childForFieldName('right'), call) ||
    !left ||
    !dottedName(left) ||
    assignment.parent?.type !== 'expression_statement'
  ) {
    return null;
  }
  return { call, target: left, statement: assignment.parent };
}

/**
 * Calls that read or write a handle whole before they return and keep no
 * reference to it (`pickle.load(open(p, "rb"))`, `pd.read_csv(zf.open(n))`):
 * the temporary handle is closed as soon as the call returns (CPython frees
 * it by reference counting), so nothing stays open.
 */
const CONSUMERS =
  /^(load|loads|dump|safe_load|full_load|save|savez|savez_compressed|savetxt|loadtxt|genfromtxt|fromfile|read_[a-z_]+|imread|imwrite)$/;

function passedToOwner(parent: SyntaxNode): boolean {
  const callee = receivingCall(parent);
  return callee === null || OWNERS.has(callee.split('.').pop()!);
}

/** A file handle (`open(...)`) read or written whole by the call it is given to. */
function consumedWhole(call: SyntaxNode, parent: SyntaxNode): boolean {
  const opener = dottedName(call.childForFieldName('function'));
  const callee = receivingCall(parent);
  return (
    opener?.split('.').pop() === 'open' &&
    callee !== null &&
    CONSUMERS.test(callee.split('.').pop()!)
  );
}

/** The dotted name of the call an argument list belongs to, else null. */
function receivingCall(parent: SyntaxNode): string | null {
  const args = parent.type === 'keyword_argument' ? parent.parent : parent;
  const owner = args?.parent;
  if (args?.type !== 'argument_list' || owner?.type !== 'call') {
    return null;
  }
  return dottedName(owner.childForFieldName('function'));
}

/**
 * The dotted names (`f`, `self.conn`) whose object `root` releases: a call or
 * reference of one of `closers` on it (`f.close()`, `atexit.register(f.close)`),
 * `with f:`, `closing(f)`, `stack.enter_context(f)`, `files.append(f)`,
 * `return f` or `yield f`. One pass over the tree.
 */
export function releasedNames(
  root: SyntaxNode,
  closers: ReadonlySet<string>
): Set<string> {
  const names = new Set<string>();
  const add = (node: SyntaxNode | null): void => {
    const name = dottedName(node);
    if (name) {
      names.add(name);
    }
  };
  const candidates = root.descendantsOfType([
    'attribute',
    'with_item',
    'call',
    'return_statement',
    'yield'
  ]);
  for (const node of candidates) {
    switch (node.type) {
      case 'attribute':
        if (closers.has(node.childForFieldName('attribute')?.text ?? '')) {
          add(node.childForFieldName('object'));
        }
        break;
      case 'with_item': {
        const value = node.childForFieldName('value');
        add(value?.type === 'as_pattern' ? value.namedChild(0) : value);
        break;
      }
      case 'call': {
        const callee = dottedName(node.childForFieldName('function'));
        if (OWNERS.has(callee?.split('.').pop() ?? '')) {
          callArguments(node).positional.forEach(add);
        }
        break;
      }
      default:
        add(node.namedChild(0));
    }
  }
  return names;
}

/** Functions that open a file object. */
const FILE_OPENERS = new Set([
  'open',
  'io.open',
  'gzip.open',
  'bz2.open',
  'lzma.open'
]);

/** `open(...)`, `io.open`, `gzip.open`, `bz2.open`, `lzma.open`, `Path(...).open()`. */
export function opensFile(call: SyntaxNode, aliases: Aliases): boolean {
  const callee = qualifiedCallee(call, aliases);
  return (
    (callee !== null && FILE_OPENERS.has(callee)) ||
    pathOfOpen(call, aliases) !== null
  );
}

/** The `Path(...)` call of `Path(...).open(...)`, else null. */
export function pathOfOpen(
  call: SyntaxNode,
  aliases: Aliases
): SyntaxNode | null {
  const fn = call.childForFieldName('function');
  const object =
    fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (
    fn?.childForFieldName('attribute')?.text !== 'open' ||
    object?.type !== 'call'
  ) {
    return null;
  }
  const path = qualifiedCallee(object, aliases);
  return path === 'pathlib.Path' || path === 'Path' ? object : null;
}

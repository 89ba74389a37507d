/**
 * Collections a cell fills with a dataset read file by file: a loop over a
 * directory listing (`os.listdir`, `glob.glob`, `Path.iterdir`, ... or a
 * name the cell bound to one) whose body reads files (`Image.open`,
 * `cv2.imread`, `open(...)`, `np.load`, `pd.read_csv`) and appends to,
 * extends, indexes into or concatenates onto a name what it read (or what
 * it made of it). Each read alone is one file; the collection holds them all
 * (the largeness replay marks it large). A list of the file *names* the loop
 * picked (`found.append(name)`) holds no data.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { calleeName, namedChildren } from '../../syntax/tree';
import { bindingTargets } from '../bindings';
import { bindingsOf } from '../scopes';
import type { IFilledCollection } from '../../types';
import { stringValue } from './sources';

/** Calls that list a folder's files. */
const LISTING = /\b(listdir|glob|iglob|rglob|iterdir|scandir|walk)\s*\(/;
/** Calls (by their last name segment) that read one file. */
const READS = new Set([
  'open',
  'imread',
  'load_img',
  'read_image',
  'read_file',
  'load',
  'loadtxt',
  'genfromtxt',
  'fromfile',
  'read_csv',
  'read_table',
  'read_json',
  'read_parquet',
  'read_feather',
  'read_excel'
]);
/**
 * Calls that join a collection with more (`df = pd.concat([df, part])`,
 * `arr = np.vstack((arr, img))`); another call of the name
 * (`sig = fix_length(sig, size=n)`) transforms one item.
 */
const JOINERS = new Set([
  'concat',
  'append',
  'concatenate',
  'vstack',
  'hstack',
  'stack',
  'dstack',
  'row_stack',
  'column_stack'
]);
/** Methods that add to their collection. */
const FILLERS = new Set(['append', 'extend', 'add', 'update', 'insert']);

/** The collections the cell at `root` fills with files read in a loop. */
export function filledFromFiles(root: SyntaxNode): IFilledCollection[] {
  const filled = new Map<string, IFilledCollection>();
  const listings = LISTING.test(root.text) ? listingNames(root) : new Map();
  for (const loop of root.descendantsOfType('for_statement')) {
    if (insideDefinition(loop) || !readsFiles(loop)) {
      continue;
    }
    const folder = listedFolder(loop, listings);
    const listing =
      folder === undefined ? iteratedElsewhere(loop, root) : undefined;
    if (folder === undefined && listing === undefined) {
      continue;
    }
    for (const name of filledIn(loop)) {
      filled.set(
        name,
        listing === undefined
          ? { name, folder: folder ?? null }
          : { name, folder: null, listing }
      );
    }
  }
  return [...filled.values()];
}

/**
 * The name a top-level loop iterates (`for p in paths:`) when the cell
 * does not bind it: an earlier cell may have bound it to a listing.
 */
function iteratedElsewhere(
  loop: SyntaxNode,
  root: SyntaxNode
): string | undefined {
  const right = loop.childForFieldName('right');
  const name =
    right?.type === 'identifier'
      ? right
      : right?.type === 'call' &&
          ['sorted', 'tqdm', 'enumerate', 'list'].includes(
            calleeName(right)?.split('.').pop() ?? ''
          )
        ? namedChildren(right.childForFieldName('arguments')!)[0]
        : undefined;
  if (name?.type !== 'identifier' || bindingsOf(name.text, root).length > 0) {
    return undefined;
  }
  return name.text;
}

/** True when `value` (a binding's value) lists a folder's files. */
export function isListing(value: SyntaxNode | null): boolean {
  return !!value && LISTING.test(value.text);
}

/**
 * The folder a listing call lists when the source spells it
 * (`glob.glob("data/prices/*.csv")` → `data/prices`), else null.
 */
export function folderOf(listing: SyntaxNode): string | null {
  const call = [listing, ...listing.descendantsOfType('call')].find(
    c =>
      c.type === 'call' &&
      LISTING.test(c.text) &&
      LISTING.test(`${calleeName(c) ?? ''}(`)
  );
  const first = call
    ? namedChildren(call.childForFieldName('arguments')!)[0]
    : undefined;
  const spelled = first ? stringValue(first) : null;
  if (spelled === null) {
    return null;
  }
  const parts = spelled.split('/');
  const wild = parts.findIndex(part => /[*?[]/.test(part));
  const folder = (wild >= 0 ? parts.slice(0, wild) : parts).join('/');
  return folder === '' ? '.' : folder;
}

/**
 * Names the cell binds to a directory listing (`files = glob.glob(...)`),
 * with the folder listed when spelled.
 */
function listingNames(root: SyntaxNode): Map<string, string | null> {
  const names = new Map<string, string | null>();
  for (const assignment of root.descendantsOfType('assignment')) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type === 'identifier' && right && LISTING.test(right.text)) {
      names.set(left.text, folderOf(right));
    }
  }
  return names;
}

/**
 * When the loop, or a loop inside it, iterates a listing: the folder listed
 * (null when not spelled); undefined when it iterates no listing.
 */
function listedFolder(
  loop: SyntaxNode,
  listings: Map<string, string | null>
): string | null | undefined {
  for (const l of [loop, ...loop.descendantsOfType('for_statement')]) {
    const right = l.childForFieldName('right');
    if (!right) {
      continue;
    }
    if (LISTING.test(right.text)) {
      return folderOf(right);
    }
    const named = [right, ...right.descendantsOfType('identifier')].find(
      id => id.type === 'identifier' && listings.has(id.text)
    );
    if (named) {
      return listings.get(named.text)!;
    }
  }
  return undefined;
}

function readsFiles(loop: SyntaxNode): boolean {
  const body = loop.childForFieldName('body');
  return !!body && body.descendantsOfType('call').some(call => isRead(call));
}

function isRead(call: SyntaxNode): boolean {
  return READS.has(calleeName(call)?.split('.').pop() ?? '');
}

/** The value a binding node binds its targets to. */
function boundValue(node: SyntaxNode): SyntaxNode | null {
  return node.type === 'as_pattern'
    ? node.namedChild(0)
    : node.childForFieldName('right');
}

/**
 * Names the loop body binds to what it read, or to something made of it
 * (`img = Image.open(p)`, `arr = np.array(img)`, `with open(p) as f`,
 * `txt = f.read()`), in order, nested loops included.
 */
function readNames(body: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const binders = body.descendantsOfType([
    'assignment',
    'augmented_assignment',
    'as_pattern',
    'for_statement'
  ]);
  // twice: a loop's later line may feed a name read on its earlier lines
  for (let round = 0; round < 2; round++) {
    for (const node of binders) {
      const value = boundValue(node);
      if (value && carriesRead(value, names)) {
        for (const target of bindingTargets(node)) {
          names.add(target.text);
        }
      }
    }
  }
  return names;
}

/** `node` reads a file or uses a name bound to what was read. */
function carriesRead(node: SyntaxNode, readNames: Set<string>): boolean {
  if (node.type === 'call' && isRead(node)) {
    return true;
  }
  if (node.type === 'identifier') {
    return readNames.has(node.text);
  }
  return (
    node.descendantsOfType('call').some(isRead) ||
    node
      .descendantsOfType('identifier')
      .some(id => readNames.has(id.text) && !measured(id, node))
  );
}

/** Attributes and methods that give a measure of a value, not its data. */
const MEASURES = new Set([
  'shape',
  'size',
  'dtype',
  'ndim',
  'width',
  'height',
  'mode',
  'format',
  'mean',
  'sum',
  'std',
  'var',
  'min',
  'max',
  'median',
  'count',
  'nunique'
]);

/**
 * `im.shape[0]`, `img.mean()`, `len(text)`: what is kept of `id` (inside
 * `within`) is a measure of it, a number or two, not the data read.
 */
function measured(id: SyntaxNode, within: SyntaxNode): boolean {
  let inner = id;
  for (let n = id.parent; n && n.id !== within.id; n = n.parent) {
    if (
      n.type === 'attribute' &&
      n.childForFieldName('object')?.id === inner.id &&
      MEASURES.has(n.childForFieldName('attribute')?.text ?? '')
    ) {
      return true;
    }
    if (n.type === 'call' && ['len', 'type'].includes(calleeName(n) ?? '')) {
      return true;
    }
    inner = n;
  }
  return false;
}

/**
 * `n.append(x)`, `n += [...]`, `n[k] = x`, `n = pd.concat([n, x])`: the
 * names the loop body adds what it read to.
 */
function filledIn(loop: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const body = loop.childForFieldName('body')!;
  const read = readNames(body);
  for (const call of body.descendantsOfType('call')) {
    const fn = call.childForFieldName('function');
    const receiver = fn?.childForFieldName('object');
    if (
      fn?.type === 'attribute' &&
      receiver?.type === 'identifier' &&
      FILLERS.has(fn.childForFieldName('attribute')?.text ?? '') &&
      carriesRead(call.childForFieldName('arguments')!, read)
    ) {
      names.add(receiver.text);
    }
  }
  for (const statement of body.descendantsOfType([
    'assignment',
    'augmented_assignment'
  ])) {
    const left = statement.childForFieldName('left');
    const right = statement.childForFieldName('right');
    if (!right || !carriesRead(right, read)) {
      continue;
    }
    if (left?.type === 'subscript') {
      const target = left.childForFieldName('value');
      if (target?.type === 'identifier') {
        names.add(target.text);
      }
    } else if (left?.type === 'identifier' && right) {
      const grows =
        (statement.type === 'augmented_assignment' &&
          ['list', 'list_comprehension', 'tuple'].includes(right.type)) ||
        (right.type === 'call' &&
          JOINERS.has(calleeName(right)?.split('.').pop() ?? '') &&
          namedChildren(right.childForFieldName('arguments')!).some(arg =>
            arg
              .descendantsOfType('identifier')
              .concat(arg.type === 'identifier' ? [arg] : [])
              .some(id => id.text === left.text)
          ));
      if (grows) {
        names.add(left.text);
      }
    }
  }
  return names;
}

function insideDefinition(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'class_definition') {
      return true;
    }
  }
  return false;
}

/**
 * The "known to be large" heuristic of ML201/ML202: which values the source
 * alone shows to be big, without a kernel to ask. Only data loads (without
 * `nrows`/`chunksize`/`iterator`, not from an in-memory buffer), whole-file
 * reads, allocations whose literal size is at least 1e6 elements, and
 * whole-object transforms or arithmetic of such values. Reductions
 * (`.mean()`, `len(...)`, `.shape`, `.head()`), sizes the source cannot know
 * (`np.zeros(n)`), aliases and views (`b = a`, `a[:, 0]`) and `inplace=True`
 * calls (they return None) are never large.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import {
  callArguments,
  calleeName,
  dottedName,
  namedChildren,
  walk
} from '../../syntax/tree';
import { enclosingLoop, valueBoundBefore } from '../scopes';
import { largeSource, stringValue } from './sources';
import { largeRandom, largeShape, overLargeRange } from './allocations';

export const READERS =
  /^(read_(csv|table|parquet|excel|json|feather|hdf|sql|sql_table|sql_query|pickle|fwf|orc|stata|sas|spss|xml|html|ipc|avro|database))$/;
const LIBRARIES = new Set(['pd', 'pandas', 'pl', 'polars']);
export const NUMPY = new Set(['np', 'numpy']);
export const ALLOCATORS = new Set(['zeros', 'ones', 'empty', 'full']);
const LOADERS = new Set(['load', 'loadtxt', 'genfromtxt', 'fromfile']);
const RANDOM_SMALL = new Set([
  'seed',
  'default_rng',
  'RandomState',
  'get_state'
]);
const TRANSFORMS = new Set([
  'copy',
  'astype',
  'merge',
  'join',
  'fillna',
  'sort_values',
  'sort_index',
  'dropna',
  'drop',
  'drop_duplicates',
  'reset_index',
  'set_index',
  'rename',
  'replace',
  'pivot',
  'melt',
  'explode',
  'apply',
  'transform',
  'assign',
  'reindex',
  'reshape',
  'transpose',
  'flatten',
  'to_numpy',
  'to_pandas',
  'interpolate',
  'clip',
  'round',
  'abs',
  'assign',
  'select_dtypes',
  'stack',
  'unstack',
  'mask',
  'where'
]);
/**
 * Classes whose `from_pretrained` loads a network's weights (`AutoModel`,
 * `BertForMaskedLM`, `GPT2LMHeadModel`), not a tokenizer, config or
 * processor of a few MB.
 */
const PRETRAINED_MODEL =
  /^(?!.*(Tokenizer|Config|Processor|FeatureExtractor)).*(Model|For[A-Z]\w*)$/;
const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**', '@']);

/**
 * True when `value` is known to make a new large object, given the names
 * bound to large values. A bare name is an alias, not a new object.
 */
export function isLargeProducer(
  value: SyntaxNode,
  large: ReadonlySet<string>
): boolean {
  return value.type !== 'identifier' && producesLarge(value, large);
}

function producesLarge(value: SyntaxNode, large: ReadonlySet<string>): boolean {
  switch (value.type) {
    case 'identifier':
      return large.has(value.text);
    case 'parenthesized_expression': {
      const inner = value.namedChild(0);
      return inner ? producesLarge(inner, large) : false;
    }
    case 'binary_operator': {
      const operator = value.childForFieldName('operator')?.text ?? '';
      const left = value.childForFieldName('left');
      const right = value.childForFieldName('right');
      return (
        ARITHMETIC.has(operator) &&
        [left, right].some(side => side !== null && producesLarge(side, large))
      );
    }
    case 'comparison_operator': {
      // `arr > 0.5`: an element-wise mask of the same shape
      const sides = value.namedChildren;
      return (
        sides.length === 2 &&
        !value.children.some(c =>
          ['in', 'not in', 'is', 'is not'].includes(c.text)
        ) &&
        sides.some(side => producesLarge(side, large))
      );
    }
    case 'list_comprehension':
    case 'dictionary_comprehension':
    case 'set_comprehension':
      return overLargeRange(value);
    case 'call':
      return isLargeCall(value, large);
    case 'subscript':
      return wholeDataset(value);
    default:
      return false;
  }
}

function isLargeCall(call: SyntaxNode, large: ReadonlySet<string>): boolean {
  const callee = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!callee) {
    return false;
  }
  if (args && /\binplace\s*=\s*True\b/.test(args.text)) {
    return false; // returns None
  }
  const name = dottedName(callee);
  if (name) {
    const parts = name.split('.');
    const last = parts[parts.length - 1];
    const head = parts[0];
    if (READERS.test(last) && (parts.length === 1 || LIBRARIES.has(head))) {
      return (
        !boundedRead(args) &&
        !aggregatingQuery(last, args) &&
        largeSource(args, large, last)
      );
    }
    if (NUMPY.has(head) && parts.length === 2) {
      if (LOADERS.has(last)) {
        return !lazyOrBoundedLoad(last, args) && largeSource(args, large);
      }
      if (ALLOCATORS.has(last)) {
        return largeShape(args);
      }
    }
    if (NUMPY.has(head) && parts[1] === 'random' && parts.length === 3) {
      return !RANDOM_SMALL.has(last) && largeRandom(last, args);
    }
    if (['pickle.load', 'joblib.load', 'torch.load'].includes(name)) {
      // pickle.load(open(path, "rb")): the file is the open call's
      const first = args ? namedChildren(args)[0] : undefined;
      return first?.type === 'call' && calleeName(first) === 'open'
        ? largeSource(first.childForFieldName('arguments'), large)
        : largeSource(args, large);
    }
    if (
      last === 'from_pretrained' &&
      PRETRAINED_MODEL.test(parts[parts.length - 2] ?? '')
    ) {
      // a pretrained network's weights: hundreds of MB (not its tokenizer)
      return true;
    }
    if (last === 'load_files' && (parts.length === 1 || head === 'sklearn')) {
      // scikit-learn's load_files: every file of a folder, read into memory
      return largeSource(args, large);
    }
    if (LIBRARIES.has(head) && last === 'concat' && args) {
      return anyLargeName(args, large);
    }
  }
  if (callee.type === 'attribute') {
    const method = callee.childForFieldName('attribute')?.text ?? '';
    const receiver = callee.childForFieldName('object');
    if (!receiver) {
      return false;
    }
    if (method === 'read' || method === 'readlines') {
      // in a loop the name keeps one file of many (the last), not a dataset
      if (enclosingLoop(call)) {
        return false;
      }
      return receiver.type === 'call'
        ? calleeName(receiver) === 'open'
        : receiver.type === 'identifier' && openedByWith(receiver);
    }
    return TRANSFORMS.has(method) && producesLarge(receiver, large);
  }
  return false;
}

/**
 * A reader call that does not load a whole dataset: `nrows=`, `chunksize=`,
 * `iterator=True`, or an in-memory buffer (`StringIO(...)`, literal text).
 */
function boundedRead(args: SyntaxNode | null): boolean {
  const all = args ? namedChildren(args) : [];
  for (const arg of all) {
    if (arg.type === 'keyword_argument') {
      const key = arg.childForFieldName('name')?.text ?? '';
      if (key === 'nrows' || key === 'chunksize' || key === 'iterator') {
        return true;
      }
    }
  }
  const source = all[0];
  if (!source || source.type === 'keyword_argument') {
    return false;
  }
  if (source.type === 'call') {
    return /(^|\.)(StringIO|BytesIO)$/.test(calleeName(source) ?? '');
  }
  return source.type === 'string' && source.text.includes('\\n');
}

/**
 * `np.load` of an `.npz` archive (a lazy `NpzFile`: arrays are read on
 * access) or with `mmap_mode=` (pages are read on access), and
 * `loadtxt`/`genfromtxt` with `max_rows=`: none of them holds a whole file.
 */
function lazyOrBoundedLoad(loader: string, args: SyntaxNode | null): boolean {
  const all = args ? namedChildren(args) : [];
  const keyword = (key: string): boolean =>
    all.some(
      a =>
        a.type === 'keyword_argument' &&
        a.childForFieldName('name')?.text === key
    );
  if (loader === 'load') {
    const path = all[0] ? stringValue(all[0]) : null;
    return keyword('mmap_mode') || (path !== null && /\.npz$/i.test(path));
  }
  return keyword('max_rows');
}

/**
 * A SQL reader given a query that aggregates or limits (`GROUP BY`,
 * `LIMIT`, `COUNT(`...): its result is a summary, not the table.
 */
function aggregatingQuery(reader: string, args: SyntaxNode | null): boolean {
  if (!reader.startsWith('read_sql')) {
    return false;
  }
  let first = args ? namedChildren(args)[0] : undefined;
  if (first?.type === 'identifier') {
    first = valueBoundBefore(first) ?? undefined; // `q = '''SELECT ...'''`
  }
  if (first?.type === 'call' && /(^|\.)text$/.test(calleeName(first) ?? '')) {
    first = callArguments(first).positional[0]; // SQLAlchemy's `text(...)`
  }
  const query = first ? stringValue(first) : null;
  return (
    query !== null &&
    /\b(group\s+by|limit|count\s*\(|sum\s*\(|avg\s*\(|max\s*\(|min\s*\()/i.test(
      query
    )
  );
}

/** `f` bound by an enclosing `with open(...) as f`. */
function openedByWith(name: SyntaxNode, opener = 'open'): boolean {
  for (let n = name.parent; n; n = n.parent) {
    if (n.type !== 'with_statement') {
      continue;
    }
    for (const item of n.descendantsOfType('as_pattern')) {
      const value = item.namedChild(0);
      const alias = item.childForFieldName('alias') ?? item.namedChild(1);
      if (
        value?.type === 'call' &&
        calleeName(value) === opener &&
        alias?.text === name.text
      ) {
        return true;
      }
    }
  }
  return false;
}

/**
 * `f["AOD"][:]`, `f["AOD"][()]` with `f` from `with h5py.File(...) as f`:
 * the whole HDF5 dataset read into one array.
 */
function wholeDataset(subscript: SyntaxNode): boolean {
  const dataset = subscript.childForFieldName('value');
  const file = dataset?.childForFieldName('value');
  const indices = subscript.childrenForFieldName('subscript');
  const whole =
    indices.length === 1 &&
    (indices[0].text === ':' || indices[0].text === '()');
  return (
    whole &&
    dataset?.type === 'subscript' &&
    file?.type === 'identifier' &&
    openedByWith(file, 'h5py.File')
  );
}

function anyLargeName(args: SyntaxNode, large: ReadonlySet<string>): boolean {
  let found = false;
  walk(args, node => {
    if (node.type === 'identifier' && large.has(node.text)) {
      found = true;
    }
    return !found;
  });
  return found;
}

/** Records the names a largeness test asks about; none of them is large. */
class Recorder extends Set<string> {
  readonly asked: string[] = [];

  has(name: string): boolean {
    this.asked.push(name);
    return false;
  }
}

/**
 * A value's largeness as a function of the names bound to large values:
 * `always`, or as soon as one of `names` is large. {@link isLargeProducer}
 * only ever ORs `large.has(name)` with syntactic facts, so evaluating it once
 * with no large name (recording the names it asks about) captures it whole.
 */
export interface ILargeForm {
  always: boolean;
  names: readonly string[];
  /**
   * The callee of a bare-name call (`read_csv(...)`): when the notebook
   * defines a function of that name, the call is the notebook's own
   * (`def read_excel(path): ...` may return None), not a library load.
   */
  callee?: string;
  /** For such a call, its first argument when that is a name (`f(df)`). */
  argument?: string;
}

/** The {@link ILargeForm} of a value expression (walks its syntax once). */
export function largeForm(value: SyntaxNode): ILargeForm {
  const recorder = new Recorder();
  const always = isLargeProducer(value, recorder);
  const fn = value.type === 'call' ? value.childForFieldName('function') : null;
  const first = fn ? callArguments(value).positional[0] : undefined;
  return {
    always,
    names: always ? [] : recorder.asked,
    ...(fn?.type === 'identifier' ? { callee: fn.text } : {}),
    ...(fn?.type === 'identifier' && first?.type === 'identifier'
      ? { argument: first.text }
      : {})
  };
}

/** True when a value of this form is large given the large names. */
export function isLarge(
  form: ILargeForm,
  large: Pick<ReadonlySet<string>, 'has'>
): boolean {
  return form.always || form.names.some(name => large.has(name));
}

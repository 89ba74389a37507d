/**
 * ML501: a whole file read into memory only to be walked line by line:
 * `for line in f.readlines()`, or `lines = f.readlines()` / `text = f.read()`
 * whose only use is one loop over `lines` / `text.splitlines()`. Iterating
 * the file object reads one line at a time.
 *
 * Only files the notebook visibly opens count (`with open(...) as f`,
 * `f = open(...)`, `open(...).readlines()`). A result used any other way
 * (parsed whole, kept for a later cell) is not flagged. The only fix is
 * `for line in f.readlines()` → `for line in f` (the same lines, with their
 * newlines); the other forms need restructuring (e.g. moving the loop into
 * the `with` block) and get no edit.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { INotebookRule, IParsedCell, IReport } from '../../types';
import type { Aliases } from '../helpers/names';
import { opensFile } from '../helpers/resources';
import {
  callArguments,
  isWithin,
  nodeRange,
  sameNode
} from '../../syntax/tree';
import { bindingsOf, enclosingScope, loopRegion } from '../../semantic/scopes';
import { callsByTail, NotebookIndex } from '../helpers/notebook';
import { referencesOf } from '../helpers/with-block';

const READS = new Set(['read', 'readlines']);

/** The cell's `.read()` / `.readlines()` calls (cached per cell). */
const readCalls = callsByTail(tail => READS.has(tail));

/** ML501: `read()` / `readlines()` whose result is only iterated by line. */
export const ML501: INotebookRule = {
  id: 'ML501',
  name: 'read-whole-file',
  title: 'Whole file read only to iterate its lines',
  severity: 'info',
  scope: 'notebook',
  docs: {
    why: '`read()` and `readlines()` hold the entire file in memory (readlines as one string object per line); a loop over the file object holds one line at a time.',
    whatToDo:
      'Iterate the file itself inside the `with` block: `for line in f:` (lines keep their trailing newline, as with readlines).',
    bad: 'with open("log.txt") as f:\n    lines = f.readlines()\nfor line in lines:\n    count += "ERROR" in line',
    good: 'with open("log.txt") as f:\n    for line in f:\n        count += "ERROR" in line'
  },
  check({ cells, report }) {
    const index = new NotebookIndex(cells);
    const aliases = index.aliases();
    cells.forEach((cell, position) => {
      const candidates = readCalls(cell);
      if (candidates.length === 0) {
        return;
      }
      const context: IContext = {
        index,
        position,
        aliases,
        bindings: memoBindings(),
        memo: memoFacts()
      };
      for (const call of candidates) {
        const finding = readCall(call, context)
          ? (iteratedDirectly(call, cell) ?? keptForOneLoop(call, context))
          : null;
        if (finding) {
          report(cell.index, { ...nodeRange(call), ...finding });
        }
      }
    });
  }
};

type Finding = Pick<IReport, 'message' | 'fix'>;

/** What the checks of one cell share. */
interface IContext {
  index: NotebookIndex;
  /** Position of the cell in `index.cells`. */
  position: number;
  aliases: Aliases;
  /** `bindingsOf(name, scope)`, computed once per name and scope. */
  bindings(name: string, scope: SyntaxNode): SyntaxNode[];
  /** A fact computed once per key in this cell. */
  memo(key: string, compute: () => boolean): boolean;
}

function memoFacts(): IContext['memo'] {
  const cache = new Map<string, boolean>();
  return (key, compute) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute();
      cache.set(key, value);
    }
    return value;
  };
}

function memoBindings(): IContext['bindings'] {
  const cache = new Map<string, SyntaxNode[]>();
  return (name, scope) => {
    const key = `${scope.startIndex}:${scope.endIndex}:${name}`;
    let found = cache.get(key);
    if (!found) {
      found = bindingsOf(name, scope);
      cache.set(key, found);
    }
    return found;
  };
}

/** `f.read()` / `f.readlines()` without arguments on a file the cell opens. */
function readCall(call: SyntaxNode, context: IContext): boolean {
  const { aliases } = context;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') {
    return false;
  }
  const method = fn.childForFieldName('attribute')?.text;
  if (method !== 'read' && method !== 'readlines') {
    return false;
  }
  const file = fn.childForFieldName('object');
  const args = call.childForFieldName('arguments');
  if (!file || args?.type !== 'argument_list' || args.namedChildCount > 0) {
    return false;
  }
  if (file.type === 'call') {
    return opensFile(file, aliases);
  }
  if (file.type !== 'identifier') {
    return false;
  }
  const scope = enclosingScope(call);
  return context.memo(`file:${scope.startIndex}:${file.text}`, () => {
    const bindings = context.bindings(file.text, scope);
    return (
      bindings.length > 0 &&
      bindings.every(b => bindsFile(b, file.text, aliases))
    );
  });
}

/** `name = <opener>(...)` or `with <opener>(...) as name`. */
function bindsFile(
  binding: SyntaxNode,
  name: string,
  aliases: Aliases
): boolean {
  if (binding.type === 'assignment') {
    const right = binding.childForFieldName('right');
    return (
      binding.childForFieldName('left')?.text === name &&
      right?.type === 'call' &&
      opensFile(right, aliases)
    );
  }
  if (binding.type === 'as_pattern' && binding.parent?.type === 'with_item') {
    const value = binding.namedChild(0);
    return value?.type === 'call' && opensFile(value, aliases);
  }
  return false;
}

/** `for line in f.readlines():` with a body that leaves `f` alone. */
function iteratedDirectly(call: SyntaxNode, cell: IParsedCell): Finding | null {
  const file = call.childForFieldName('function')!.childForFieldName('object')!;
  const method = call
    .childForFieldName('function')!
    .childForFieldName('attribute')!.text;
  const splitted = method === 'read' ? splitlinesOf(call) : null;
  const iterable = splitted ?? call;
  const region = loopRegion(iterable);
  if (!region || (method === 'read' && !splitted)) {
    return null;
  }
  const touched =
    file.type === 'identifier' &&
    referencesOf(region, file.text).some(r => !isWithin(r, iterable));
  if (touched) {
    return null;
  }
  if (splitted) {
    return {
      message: `${file.text}.read().splitlines() reads the whole file to loop over its lines; iterate ${file.text} instead.`,
      fix: null
    };
  }
  return {
    message: `${file.text}.readlines() reads the whole file to loop over its lines; iterate ${file.text} directly.`,
    fix: {
      description: `Iterate ${file.text} directly`,
      edits: [{ cell: cell.index, ...nodeRange(call), text: file.text }]
    }
  };
}

/**
 * The lines of `text` as the source splits them, around `text`:
 * `text.splitlines()` or `text.split("\n")`, after an optional `.strip()`
 * (`f.read().strip().split("\n")`); else null.
 */
function splitlinesOf(node: SyntaxNode): SyntaxNode | null {
  const stripped = methodCallOn(node, STRIPS);
  const target = stripped && noArguments(stripped) ? stripped : node;
  const call = methodCallOn(target, SPLITS);
  if (!call) {
    return null;
  }
  const { positional, keywords } = callArguments(call);
  const method = call
    .childForFieldName('function')!
    .childForFieldName('attribute')!.text;
  return (method === 'splitlines' && positional.length + keywords.size === 0) ||
    (method === 'split' &&
      keywords.size === 0 &&
      positional.length === 1 &&
      /^['"]\\n['"]$/.test(positional[0].text))
    ? call
    : null;
}

const STRIPS = new Set(['strip', 'rstrip']);
const SPLITS = new Set(['splitlines', 'split']);

/** The call `node.<method>(...)` for one of `methods`, else null. */
function methodCallOn(
  node: SyntaxNode,
  methods: ReadonlySet<string>
): SyntaxNode | null {
  const attribute = node.parent;
  const call = attribute?.parent;
  return attribute?.type === 'attribute' &&
    methods.has(attribute.childForFieldName('attribute')?.text ?? '') &&
    call?.type === 'call' &&
    sameNode(call.childForFieldName('function'), attribute)
    ? call
    : null;
}

function noArguments(call: SyntaxNode): boolean {
  const { positional, keywords } = callArguments(call);
  return positional.length + keywords.size === 0;
}

/**
 * `lines = f.readlines()` / `text = f.read()` whose one and only use, in
 * this cell and all later cells, is a loop over `lines` / `text.splitlines()`.
 */
/**
 * `lines[1:]` (a header skipped: a literal start, no stop or step) for the
 * use `lines`, else the use itself: the loop still walks the file once.
 */
function headerSkipped(use: SyntaxNode): SyntaxNode {
  const subscript = use.parent;
  const index = subscript?.childrenForFieldName('subscript') ?? [];
  const slice = index.length === 1 ? index[0] : null;
  return subscript?.type === 'subscript' &&
    sameNode(subscript.childForFieldName('value'), use) &&
    slice?.type === 'slice' &&
    /^\d+:$/.test(slice.text.replace(/\s/g, ''))
    ? subscript
    : use;
}

function keptForOneLoop(call: SyntaxNode, context: IContext): Finding | null {
  const { index, position } = context;
  // `lines = f.read().splitlines()`: the lines are what the name holds
  const method = call
    .childForFieldName('function')!
    .childForFieldName('attribute')!.text;
  const lines = method === 'read' ? splitlinesOf(call) : null;
  const value = lines ?? call;
  const assignment = value.parent;
  const target = assignment?.childForFieldName('left');
  if (
    assignment?.type !== 'assignment' ||
    !sameNode(assignment.childForFieldName('right'), value) ||
    target?.type !== 'identifier'
  ) {
    return null;
  }
  const name = target.text;
  const all = index.references(position).get(name) ?? [];
  // The binding itself plus exactly one use.
  const uses = all.length === 2 ? all.filter(r => !sameNode(r, target)) : [];
  if (
    uses.length !== 1 ||
    index.usedAfter(position, name) ||
    context.bindings(name, enclosingScope(call)).length !== 1
  ) {
    return null;
  }
  const iterable =
    method === 'read' && !lines
      ? splitlinesOf(uses[0])
      : headerSkipped(uses[0]);
  if (!iterable || !loopRegion(iterable)) {
    return null;
  }
  return {
    message: `${name} = ${value.text} holds the whole file only to loop over its lines; loop over the file object instead.`,
    fix: null
  };
}

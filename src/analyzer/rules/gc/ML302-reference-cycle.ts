/**
 * ML302: a back-reference that closes a reference cycle: `x.append(x)`,
 * `obj.me = obj`, or in a method `self.children.append(child)` together with
 * `child.parent = self`. Reference counting can never free a cycle; the
 * objects (and everything they hold) wait for the cyclic garbage collector.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { ICellRule, ICellRuleContext } from '../../types';
import { Aliases, cellAliases, qualifiedCallee } from '../helpers/names';
import { callArguments, dottedName, nodeRange } from '../../syntax/tree';
import { instanceParameter } from '../../semantic/definitions';

/** Container methods that store their (last) argument. */
const STORING_METHODS = new Set(['append', 'add', 'insert', 'appendleft']);

/** ML302: reference cycle through a strong back-reference. */
export const ML302: ICellRule = {
  id: 'ML302',
  name: 'reference-cycle',
  title: 'Back-reference creates a reference cycle',
  severity: 'info',
  scope: 'cell',
  docs: {
    why: 'Objects in a reference cycle are never freed by reference counting: they (and every array or frame they hold) stay in memory until the cyclic garbage collector runs, which for long-lived objects can be much later, and `del` does not free them.',
    whatToDo:
      'Make the back-reference weak: store `weakref.ref(parent)` or `weakref.proxy(parent)`, or keep children in a `weakref.WeakSet`/`WeakValueDictionary`.',
    bad: 'class Node:\n    def add(self, child):\n        self.children.append(child)\n        child.parent = self',
    good: 'import weakref\n\nclass Node:\n    def add(self, child):\n        self.children.append(child)\n        child.parent = weakref.ref(self)'
  },
  check(context) {
    const aliases = cellAliases(context.cell);
    selfContainment(context);
    for (const fn of context.cell.root.descendantsOfType(
      'function_definition'
    )) {
      const self = instanceParameter(fn);
      if (self) {
        parentChildCycles(context, fn, self, aliases);
      }
    }
  }
};

/** `x.append(x)`, `self.items.append(self)`, `obj.me = obj`, `obj.d[k] = obj`. */
function selfContainment({ cell, report }: ICellRuleContext): void {
  for (const call of cell.root.descendantsOfType('call')) {
    const stored = storedBy(call);
    const owner = stored?.container.split('.')[0];
    if (stored && owner === dottedName(stored.item)) {
      report({
        ...nodeRange(call),
        message: `\`${oneLine(call)}\` stores \`${owner}\` inside itself: a reference cycle that only the cyclic garbage collector can free.`,
        fix: null
      });
    }
  }
  for (const assignment of cell.root.descendantsOfType('assignment')) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    const owner = left ? rootName(left) : null;
    if (
      owner &&
      right?.type === 'identifier' &&
      right.text === owner &&
      storesReference(left!)
    ) {
      report({
        ...nodeRange(assignment),
        message: `\`${oneLine(assignment)}\` makes \`${owner}\` refer to itself: a reference cycle; store \`weakref.ref(${owner})\` instead if the link is needed.`,
        fix: null
      });
    }
  }
}

/**
 * In a method with instance parameter `self`: a child stored in `self`
 * (`self.kids.append(c)`, `self.kids[k] = c`, `self.kid = c`) that is given
 * `c.<attr> = self` in the same method.
 */
function parentChildCycles(
  { cell, report }: ICellRuleContext,
  fn: SyntaxNode,
  self: string,
  aliases: Aliases
): void {
  const body = fn.childForFieldName('body');
  if (!body) {
    return;
  }
  const weak = weakAttributes(fn, aliases);
  /** child name → the `self.<attr>` it is stored in. */
  const stored = new Map<string, string>();
  for (const call of body.descendantsOfType('call')) {
    const s = storedBy(call);
    if (s?.item.type === 'identifier' && s.item.text !== self) {
      remember(stored, s.container, s.item.text, self, weak);
    }
  }
  const assignments = body.descendantsOfType('assignment');
  for (const assignment of assignments) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    const container =
      left?.type === 'subscript' ? left.childForFieldName('value') : left;
    if (right?.type === 'identifier' && right.text !== self && container) {
      remember(stored, dottedName(container) ?? '', right.text, self, weak);
    }
  }
  for (const assignment of assignments) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'attribute' || right?.text !== self) {
      continue;
    }
    const child = left.childForFieldName('object');
    const holder = child?.type === 'identifier' ? stored.get(child.text) : null;
    if (!child || !holder) {
      continue;
    }
    report({
      ...nodeRange(assignment),
      message: `\`${oneLine(assignment)}\` points \`${child.text}\` back at \`${self}\`, which holds it in \`${holder}\`: a reference cycle; store \`weakref.ref(${self})\` or \`weakref.proxy(${self})\` instead.`,
      fix: null
    });
  }
}

function remember(
  stored: Map<string, string>,
  container: string,
  child: string,
  self: string,
  weak: Set<string>
): void {
  const [owner, attribute] = container.split('.');
  if (owner === self && attribute && !weak.has(attribute)) {
    stored.set(child, container);
  }
}

/** `{ container: 'self.kids', item }` when `call` is `self.kids.append(item)`. */
function storedBy(
  call: SyntaxNode
): { container: string; item: SyntaxNode } | null {
  const fn = call.childForFieldName('function');
  const method = fn?.childForFieldName('attribute')?.text;
  if (fn?.type !== 'attribute' || !method || !STORING_METHODS.has(method)) {
    return null;
  }
  const container = dottedName(fn.childForFieldName('object'));
  const args = callArguments(call);
  const item = args.positional[args.positional.length - 1];
  const expected = method === 'insert' ? 2 : 1;
  if (!container || !item || args.positional.length !== expected) {
    return null;
  }
  return { container, item };
}

/**
 * True for `obj.attr = ...` and `obj.attr[k] = ...`. A subscript of a bare
 * name (`a[0] = a`) is left out: on a NumPy array or DataFrame it copies
 * values instead of storing a reference.
 */
function storesReference(target: SyntaxNode): boolean {
  if (target.type === 'attribute') {
    return true;
  }
  return (
    target.type === 'subscript' &&
    target.childForFieldName('value')?.type !== 'identifier' &&
    storesReference(target.childForFieldName('value')!)
  );
}

/** The identifier an attribute/subscript chain starts from (`a` in `a.b[0].c`). */
function rootName(node: SyntaxNode): string | null {
  let current: SyntaxNode | null = node;
  while (current?.type === 'attribute' || current?.type === 'subscript') {
    current = current.childForFieldName(
      current.type === 'attribute' ? 'object' : 'value'
    );
  }
  return current?.type === 'identifier' ? current.text : null;
}

/** Attributes of the method's class that are assigned a `weakref.*` object. */
function weakAttributes(fn: SyntaxNode, aliases: Aliases): Set<string> {
  const weak = new Set<string>();
  let cls: SyntaxNode | null = fn.parent;
  while (cls && cls.type !== 'class_definition') {
    cls = cls.parent;
  }
  for (const assignment of cls?.descendantsOfType('assignment') ?? []) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    const callee =
      right?.type === 'call' ? qualifiedCallee(right, aliases) : null;
    if (
      !callee ||
      !(callee.startsWith('weakref.') || /^Weak[A-Z]/.test(callee))
    ) {
      continue;
    }
    const name =
      left?.type === 'attribute'
        ? left.childForFieldName('attribute')?.text
        : left?.type === 'identifier'
          ? left.text
          : undefined;
    if (name) {
      weak.add(name);
    }
  }
  return weak;
}

function oneLine(node: SyntaxNode): string {
  const flat = node.text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

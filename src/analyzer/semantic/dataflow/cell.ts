/**
 * Per-cell dataflow: module-scope bindings and global reads of one parsed
 * cell. Iterative (explicit stack) so deeply nested input cannot overflow.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { calleeName, namedChildren, nodeRange } from '../../syntax/tree';
import type {
  BindingKind,
  IBinding,
  ICellDataflow,
  IParsedCell,
  IReference
} from '../../types';
import { functionLocals, importNames, targetNames } from './targets';
import { writesOf } from './writes';
import { filledFromFiles } from './filled-from-files';

interface IScope {
  /** 'module' records bindings; classes and functions do not. */
  kind: 'module' | 'class' | 'function';
  /** Enclosing function name for reads in function bodies. */
  fn: string | null;
  /** Names that are local here, so not global reads. */
  hidden: ReadonlySet<string>;
}

interface IFrame {
  node: SyntaxNode;
  scope: IScope;
  statement: SyntaxNode;
}

const COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression'
]);

const MODULE: IScope = { kind: 'module', fn: null, hidden: new Set() };

/** Compute the defs and refs of one parsed cell. */
export function cellDataflow(cell: IParsedCell): ICellDataflow {
  const defs: IBinding[] = [];
  const refs: IReference[] = [];
  const deletes: IReference[] = [];
  const stack: IFrame[] = namedChildren(cell.root)
    .reverse()
    .map(node => ({ node, scope: MODULE, statement: node }));

  const push = (
    nodes: (SyntaxNode | null)[],
    frame: IFrame,
    scope = frame.scope
  ) => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      if (node) {
        stack.push({ node, scope, statement: frame.statement });
      }
    }
  };
  const read = (node: SyntaxNode, frame: IFrame, name = node.text) => {
    if (!frame.scope.hidden.has(name)) {
      refs.push({
        name,
        range: nodeRange(node),
        statement: frame.statement,
        inFunction: frame.scope.fn
      });
    }
  };
  const bind = (
    names: SyntaxNode[],
    frame: IFrame,
    kind: BindingKind,
    value: SyntaxNode | null = null
  ) => {
    if (frame.scope.kind !== 'module') {
      return;
    }
    for (const name of names) {
      defs.push({
        name: name.text,
        kind,
        range: nodeRange(name),
        statement: frame.statement,
        value: names.length === 1 ? value : null
      });
    }
  };
  const readParts = (frame: IFrame) => (node: SyntaxNode) =>
    push([node], frame);

  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { node, scope } = frame;
    switch (node.type) {
      case 'identifier':
        read(node, frame);
        break;
      case 'comment':
      case 'global_statement':
      case 'nonlocal_statement':
        break;
      case 'import_statement':
      case 'import_from_statement':
        bind(importNames(node), frame, 'import');
        break;
      case 'function_definition':
      case 'lambda': {
        const name = node.childForFieldName('name');
        if (name) {
          bind([name], frame, 'def');
        }
        const parameters = node.childForFieldName('parameters');
        const defaults = parameters
          ? namedChildren(parameters).flatMap(p => [
              p.childForFieldName('value'),
              p.childForFieldName('type')
            ])
          : [];
        push(defaults, frame);
        const inner: IScope = {
          kind: 'function',
          fn: scope.fn ?? name?.text ?? '<lambda>',
          hidden: union(scope.hidden, functionLocals(node))
        };
        push(
          [
            node.childForFieldName('return_type'),
            node.childForFieldName('body')
          ],
          frame,
          inner
        );
        break;
      }
      case 'class_definition': {
        const name = node.childForFieldName('name');
        if (name) {
          bind([name], frame, 'class');
        }
        const inner: IScope = {
          ...scope,
          kind: scope.kind === 'module' ? 'class' : scope.kind
        };
        push(
          [
            node.childForFieldName('superclasses'),
            node.childForFieldName('body')
          ],
          frame,
          inner
        );
        break;
      }
      case 'assignment': {
        let value = node.childForFieldName('right');
        const targets: SyntaxNode[] = [];
        let current: SyntaxNode | null = node;
        // `a = b = f()`: every target is bound to the innermost value.
        while (current?.type === 'assignment') {
          const left = current.childForFieldName('left');
          if (left) {
            targets.push(...targetNames(left, readParts(frame)));
          }
          push([current.childForFieldName('type')], frame);
          value = current.childForFieldName('right');
          current = value;
        }
        const typed = node.childForFieldName('type') !== null;
        bind(targets, frame, typed ? 'annotated' : 'assign', value);
        push([value], frame);
        break;
      }
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        if (left?.type === 'identifier') {
          read(left, frame);
          bind([left], frame, 'augmented');
        } else {
          push([left], frame);
        }
        push([node.childForFieldName('right')], frame);
        break;
      }
      case 'for_statement': {
        const left = node.childForFieldName('left');
        if (left) {
          bind(targetNames(left, readParts(frame)), frame, 'for');
        }
        push(
          [
            node.childForFieldName('right'),
            node.childForFieldName('body'),
            node.childForFieldName('alternative')
          ],
          frame
        );
        break;
      }
      case 'as_pattern_target': {
        const kind =
          node.parent?.parent?.type === 'with_item' ? 'with' : 'other';
        bind(
          namedChildren(node).flatMap(c => targetNames(c, readParts(frame))),
          frame,
          kind
        );
        break;
      }
      case 'named_expression': {
        const name = node.childForFieldName('name');
        if (name) {
          bind([name], frame, 'walrus', node.childForFieldName('value'));
        }
        push([node.childForFieldName('value')], frame);
        break;
      }
      case 'delete_statement': {
        const targets = namedChildren(node).flatMap(deleteTargets);
        for (const target of targets) {
          if (target.type === 'identifier' && scope.kind === 'module') {
            deletes.push({
              name: target.text,
              range: nodeRange(target),
              statement: frame.statement,
              inFunction: null
            });
          } else {
            push([target], frame);
          }
        }
        break;
      }
      case 'keyword_argument':
        push([node.childForFieldName('value')], frame);
        break;
      case 'attribute':
        push([node.childForFieldName('object')], frame);
        break;
      case 'string':
        queryNames(node, name => read(node, frame, name));
        push(namedChildren(node), frame);
        break;
      default:
        if (COMPREHENSIONS.has(node.type)) {
          const bound = new Set(scope.hidden);
          for (const clause of namedChildren(node)) {
            const left =
              clause.type === 'for_in_clause'
                ? clause.childForFieldName('left')
                : null;
            for (const name of left ? targetNames(left) : []) {
              bound.add(name.text);
            }
          }
          push(namedChildren(node), frame, { ...scope, hidden: bound });
        } else if (node.type === 'for_in_clause') {
          push([node.childForFieldName('right')], frame);
        } else {
          push(namedChildren(node), frame);
        }
    }
  }
  const magics = unbindingMagics(cell);
  deletes.push(...magics.deletes);
  const writes = writesOf(cell.root);
  const filled = filledFromFiles(cell.root);
  return {
    cell: cell.index,
    defs,
    refs,
    deletes,
    ...(magics.reset ? { reset: true } : {}),
    ...(writes.length > 0 ? { writes } : {}),
    ...(filled.length > 0 ? { filled } : {})
  };
}

/**
 * `%xdel name` and `%reset -f` lines (masked out of the parse tree, so read
 * from the source): they unbind names as `del` does. `%store`/`%who` don't.
 */
function unbindingMagics(cell: IParsedCell): {
  deletes: IReference[];
  reset: boolean;
} {
  const deletes: IReference[] = [];
  let reset = false;
  if (!cell.source.includes('%')) {
    return { deletes, reset };
  }
  cell.source.split('\n').forEach((text, line) => {
    const xdel = /^(\s*)%xdel\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text);
    if (xdel) {
      const column = xdel[1].length + '%xdel '.length;
      deletes.push({
        name: xdel[2],
        range: {
          line,
          column,
          endLine: line,
          endColumn: column + xdel[2].length
        },
        statement: cell.root,
        inFunction: null
      });
    } else if (/^\s*%reset\s+(-f\b|-sf\b|-fs\b)/.test(text)) {
      reset = true;
    }
  });
  return { deletes, reset };
}

/** `@name` references inside the string argument of `.query()`/`.eval()`. */
function queryNames(node: SyntaxNode, found: (name: string) => void): void {
  const call =
    node.parent?.type === 'argument_list' ? node.parent.parent : null;
  const callee = call ? calleeName(call) : null;
  if (!callee || !/(^|\.)(query|eval)$/.test(callee)) {
    return;
  }
  for (const match of node.text.matchAll(/@([A-Za-z_]\w*)/g)) {
    found(match[1]);
  }
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const result = new Set(a);
  for (const name of b) {
    result.add(name);
  }
  return result;
}

/**
 * The targets of a `del` statement: `del a, b`, and the parenthesised forms
 * written as a call (`del(x)`, `del(a, b)`, `del [a, b]`) alike.
 */
function deleteTargets(node: SyntaxNode): SyntaxNode[] {
  switch (node.type) {
    case 'expression_list':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
      return namedChildren(node).flatMap(deleteTargets);
    default:
      return [node];
  }
}

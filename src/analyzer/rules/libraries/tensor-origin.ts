/**
 * Where a tensor's autograd graph comes from, for ML701: a criterion, loss
 * function or model call (also through a sum of losses bound earlier in the
 * loop), or a `.backward()` the loop calls on it; and the blocks where no
 * graph is built (`torch.no_grad()`, `torch.inference_mode()`).
 */
import type { SyntaxNode } from '../../syntax/syntax';
import { dottedName } from '../../syntax/tree';
import { bindingsOf } from '../../semantic/scopes';

/** Callees (last name segment) whose result is a loss or a model output. */
const PRODUCERS = new Set([
  'criterion',
  'loss_fn',
  'loss_func',
  'lossfn',
  'loss_function',
  'compute_loss',
  'model',
  'net'
]);
/** `torch.nn.functional` losses not named `*_loss`. */
const FUNCTIONAL_LOSSES = new Set([
  'cross_entropy',
  'binary_cross_entropy',
  'binary_cross_entropy_with_logits',
  'kl_div'
]);
const NO_GRAD = new Set([
  'torch.no_grad',
  'no_grad',
  'torch.inference_mode',
  'inference_mode'
]);

/** A binding node and where it ends (read once: node getters are not free). */
export interface IBinding {
  node: SyntaxNode;
  end: number;
}

/**
 * The producer (`criterion`, `F.mse_loss`, ...) of the last of `bindings`
 * (the tensor's bindings in the loop, in order) before `use`, or null when
 * that binding is something else (`loss = loss.item()`) or there is none.
 * A sum of losses bound earlier in the loop (`loss = 0.5 * (real + fake)`)
 * has their producer.
 */
export function producerOf(
  bindings: IBinding[],
  use: SyntaxNode,
  loop: SyntaxNode,
  depth = 0
): string | null {
  const start = use.startIndex;
  let last: SyntaxNode | undefined;
  for (const b of bindings) {
    if (b.end <= start) {
      last = b.node;
    }
  }
  if (
    last?.type !== 'assignment' ||
    last.childForFieldName('left')?.type !== 'identifier' ||
    // computed under no_grad/inference_mode: the tensor has no graph
    noGrad(last)
  ) {
    return null;
  }
  const bound = last;
  // a name in the value: its own last binding in the loop, a few levels deep
  const named = (name: SyntaxNode): string | null =>
    depth < 3
      ? producerOf(
          bindingsOf(name.text, loop).map(node => ({
            node,
            end: node.endIndex
          })),
          bound,
          loop,
          depth + 1
        )
      : null;
  return producerIn(bound.childForFieldName('right'), named);
}

function producerIn(
  value: SyntaxNode | null,
  named: (name: SyntaxNode) => string | null
): string | null {
  if (value?.type === 'identifier') {
    return named(value);
  }
  if (value?.type === 'parenthesized_expression') {
    return producerIn(value.namedChild(0), named);
  }
  if (value?.type === 'binary_operator') {
    return (
      producerIn(value.childForFieldName('left'), named) ??
      producerIn(value.childForFieldName('right'), named)
    );
  }
  if (value?.type !== 'call') {
    return null;
  }
  const fn = value.childForFieldName('function');
  const name = dottedName(fn);
  if (!name) {
    // `criterion(out, y).mean()`
    const object =
      fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    const method = fn?.childForFieldName('attribute')?.text;
    return method === 'mean' || method === 'sum'
      ? producerIn(object, named)
      : null;
  }
  const last = name.split('.').pop()!;
  const functional =
    /^(F|functional|torch\.nn\.functional)\.[a-z_0-9]+$/.test(name) &&
    (last.endsWith('_loss') || FUNCTIONAL_LOSSES.has(last));
  return PRODUCERS.has(last) || functional ? name : null;
}

/**
 * Some `name.backward()` call inside `loop` on the value `use` accumulates:
 * after the last of `bindings` (the name's bindings in the loop) before
 * `use`, and before `use`.
 */
export function backpropagated(
  loop: SyntaxNode,
  name: string,
  bindings: IBinding[],
  use: SyntaxNode
): boolean {
  let bound = loop.startIndex;
  for (const b of bindings) {
    if (b.end <= use.startIndex) {
      bound = b.end;
    }
  }
  return loop.descendantsOfType('call').some(call => {
    const fn = call.childForFieldName('function');
    return (
      call.startIndex >= bound &&
      call.endIndex <= use.startIndex &&
      fn?.type === 'attribute' &&
      fn.childForFieldName('attribute')?.text === 'backward' &&
      fn.childForFieldName('object')?.text === name
    );
  });
}

/** `node` runs under `torch.no_grad()` / `inference_mode()` (block or decorator). */
export function noGrad(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    const contexts =
      n.type === 'with_statement'
        ? (n.namedChildren.find(c => c.type === 'with_clause')?.namedChildren ??
          [])
        : n.type === 'decorated_definition'
          ? n.namedChildren.filter(c => c.type === 'decorator')
          : [];
    if (contexts.some(c => NO_GRAD.has(contextName(c.namedChild(0))))) {
      return true;
    }
  }
  return false;
}

/** `torch.no_grad` for `torch.no_grad()`, `@torch.no_grad`, `... as g`. */
function contextName(expression: SyntaxNode | null): string {
  const value =
    expression?.type === 'as_pattern' ? expression.namedChild(0) : expression;
  const callee =
    value?.type === 'call' ? value.childForFieldName('function') : value;
  return dottedName(callee ?? null) ?? '';
}

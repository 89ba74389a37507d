/**
 * ML701: a loss tensor accumulated across loop iterations with its autograd
 * history (`total += loss`, `losses.append(loss)`): every iteration's whole
 * computation graph, activations included, stays alive through the total.
 *
 * Not flagged under `torch.no_grad()` / `torch.inference_mode()` (no graph),
 * or when the accumulator is later `.backward()`ed (gradient accumulation on
 * purpose). The fix accumulates `loss.detach()`: same values, same tensor
 * type and device, no graph (`.item()` would change the type to float).
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { INotebookRule, IParsedCell, IReport } from '../../types';
import { perCell } from '../helpers/cell-cache';
import { notebookAliases } from '../helpers/names';
import { callArguments, dottedName, nodeRange } from '../../syntax/tree';
import { bindingsOf, enclosingLoop } from '../../semantic/scopes';
import { backpropagated, IBinding, noGrad, producerOf } from './tensor-origin';

/** ML701: loss tensors accumulated with their autograd history. */
export const ML701: INotebookRule = {
  id: 'ML701',
  name: 'tensor-history-leak',
  title: 'Loss tensor accumulated with its autograd history',
  severity: 'warning',
  scope: 'notebook',
  docs: {
    why: "A loss tensor references the autograd graph that produced it, activations included. Adding it to a running total or appending it to a list keeps every iteration's graph alive, so memory grows with each batch. A tensor has such a graph when it comes from a criterion or model call, or when the loop calls `.backward()` on it. Only PyTorch keeps such a graph on its tensors, and only when some tensor requires gradients: notebooks that never import torch (TensorFlow eager, scikit-learn scores, plain floats) are not flagged, nor networks written from scratch with plain tensors and a hand-written backward pass (no `loss.backward()`, `requires_grad`, optimizer, `nn` layers or pretrained model anywhere).",
    whatToDo:
      'Accumulate a number (`loss.item()`) or a detached tensor (`loss.detach()`); keep the graph only for `loss.backward()`.',
    bad: 'import torch\n\ntotal = 0\nfor x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()\n    total += loss',
    good: 'import torch\n\ntotal = 0\nfor x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()\n    total += loss.item()'
  },
  check({ cells, report }) {
    // only torch tensors carry an autograd graph, and only when something
    // requires gradients
    if (!importsTorch(cells) || !tracksGradients(cells)) {
      return;
    }
    for (const cell of cells) {
      for (const leak of leaksOf(cell)) {
        report(cell.index, leakReport(cell, leak));
      }
    }
  }
};

/**
 * Signs that some tensor requires gradients: a graph needs one. `loss.backward()`,
 * `requires_grad`, an optimizer, `nn` layers and modules, or a pretrained
 * model (its parameters require gradients). A network written from scratch
 * with plain tensors and a hand-written backward pass builds no graph.
 */
const GRADIENTS =
  /\.backward\(\s*\)|\brequires_grad|\boptim\.\w+\(|\bnn\.[A-Z]\w*|\bfrom_pretrained\(|\bmodels\.\w+\(/;

function tracksGradients(cells: readonly IParsedCell[]): boolean {
  return cells.some(cell => GRADIENTS.test(cell.masked));
}

/** True when some cell imports torch (or a module of it). */
function importsTorch(cells: readonly IParsedCell[]): boolean {
  for (const qualified of notebookAliases(cells).values()) {
    if (qualified === 'torch' || qualified.startsWith('torch.')) {
      return true;
    }
  }
  return false;
}

/** An accumulation of a graph-carrying tensor inside a loop. */
interface ILeak {
  node: SyntaxNode;
  tensor: SyntaxNode;
  /** Why the tensor has a graph: `comes from criterion(...)`. */
  origin: string;
}

/** The report on one leak, in the cell's current position. */
function leakReport(
  cell: IParsedCell,
  { node, tensor, origin }: ILeak
): IReport {
  return {
    ...nodeRange(node),
    message: `${node.text.split('\n')[0]} inside a loop keeps the autograd graph of every iteration alive (${tensor.text} ${origin}); accumulate ${tensor.text}.item() or ${tensor.text}.detach().`,
    fix: {
      description: `Accumulate ${tensor.text}.detach()`,
      edits: [
        {
          cell: cell.index,
          line: tensor.endPosition.row,
          column: tensor.endPosition.column,
          endLine: tensor.endPosition.row,
          endColumn: tensor.endPosition.column,
          text: '.detach()'
        }
      ]
    }
  };
}

/** The leaks of one cell (cached with its tree). */
const leaksOf = perCell((cell): ILeak[] => {
  const leaks: ILeak[] = [];
  // The cell's text has no a loop: nothing to find.
  if (!/\b(for|while)\b/.test(cell.masked)) {
    return leaks;
  }
  const candidates = cell.root.descendantsOfType([
    'augmented_assignment',
    'assignment',
    'call'
  ]);
  const loopBindings = new Map<string, IBinding[]>();
  const backwards = new Map<string, boolean>();
  for (const node of candidates) {
    const accumulation = accumulated(node);
    const loop = accumulation ? enclosingLoop(node) : null;
    if (!accumulation || !loop) {
      continue;
    }
    const { into, tensor } = accumulation;
    const key = `${loop.startIndex}:${tensor.text}`;
    if (!loopBindings.has(key)) {
      loopBindings.set(
        key,
        bindingsOf(tensor.text, loop).map(node => ({
          node,
          end: node.endIndex
        }))
      );
    }
    const producer = producerOf(loopBindings.get(key)!, node, loop);
    // `loss.backward()` in the loop: whatever made it, it has a graph
    const origin = producer
      ? `comes from ${producer}(...)`
      : backpropagated(loop, tensor.text, loopBindings.get(key)!, node)
        ? `is backpropagated: ${tensor.text}.backward()`
        : null;
    if (!origin || noGrad(node)) {
      continue;
    }
    if (!backwards.has(into)) {
      backwards.set(into, backwardOf(cell.root, into));
    }
    if (backwards.get(into)) {
      continue;
    }
    leaks.push({ node, tensor, origin });
  }
  return leaks;
});

interface IAccumulation {
  /** The accumulator, as a dotted name (`total`, `self.losses`). */
  into: string;
  /** The identifier of the tensor added (`loss`). */
  tensor: SyntaxNode;
}

/** `total += loss`, `total = total + loss`, `losses.append(loss)`. */
function accumulated(node: SyntaxNode): IAccumulation | null {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (node.type === 'augmented_assignment') {
    const op = node.childForFieldName('operator')?.text;
    const into = dottedName(left);
    const tensor = op === '+=' && right ? operand(right) : null;
    return into && tensor ? { into, tensor } : null;
  }
  if (node.type === 'assignment') {
    const into = dottedName(left);
    const sum = right?.type === 'binary_operator' ? right : null;
    const first = sum?.childForFieldName('left');
    const tensor =
      sum?.childForFieldName('operator')?.text === '+' &&
      dottedName(first ?? null) === into
        ? operand(sum.childForFieldName('right')!)
        : null;
    return into && tensor ? { into, tensor } : null;
  }
  const fn = node.childForFieldName('function');
  const { positional, keywords, splat } = callArguments(node);
  if (
    fn?.type !== 'attribute' ||
    fn.childForFieldName('attribute')?.text !== 'append' ||
    positional.length !== 1 ||
    keywords.size > 0 ||
    splat
  ) {
    return null;
  }
  const into = dottedName(fn.childForFieldName('object'));
  const tensor = operand(positional[0]);
  return into && tensor ? { into, tensor } : null;
}

/** The identifier carried by `loss`, `loss * n`, `(loss / k)`; null otherwise. */
function operand(expression: SyntaxNode): SyntaxNode | null {
  switch (expression.type) {
    case 'identifier':
      return expression;
    case 'parenthesized_expression':
      return expression.namedChild(0)
        ? operand(expression.namedChild(0)!)
        : null;
    case 'binary_operator': {
      const op = expression.childForFieldName('operator')?.text ?? '';
      if (!['+', '-', '*', '/'].includes(op)) {
        return null;
      }
      const left = expression.childForFieldName('left');
      const right = expression.childForFieldName('right');
      return (left && operand(left)) ?? (right && operand(right)) ?? null;
    }
    default:
      return null;
  }
}

/** Some `X.backward()` in the cell where `X` mentions the accumulator. */
function backwardOf(root: SyntaxNode, into: string): boolean {
  return root.descendantsOfType('call').some(call => {
    const fn = call.childForFieldName('function');
    const object =
      fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (!object || fn?.childForFieldName('attribute')?.text !== 'backward') {
      return false;
    }
    return [
      object,
      ...object.descendantsOfType(['identifier', 'attribute'])
    ].some(n => dottedName(n) === into);
  });
}

import { ML701 } from '../ML701-tensor-history-leak';
import type { IFinding, IRule } from '../../../types';
import {
  applyEdits,
  check as checkCells,
  parsesCleanly
} from '../../../__tests__/harness';

/** A first cell that imports torch and trains parameters (gradients). */
const TORCH = 'import torch\noptimizer = torch.optim.SGD(params, lr=0.1)';

/**
 * The findings on `source` as the second cell of a notebook whose first
 * cell imports torch and makes an optimizer, numbered as if `source` were
 * the only cell.
 */
async function check(rule: IRule, source: string): Promise<IFinding[]> {
  const findings = await checkCells(rule, [TORCH, source]);
  return findings.map(f => ({
    ...f,
    cell: f.cell - 1,
    fix: f.fix && {
      ...f.fix,
      edits: f.fix.edits.map(e => ({ ...e, cell: e.cell - 1 }))
    }
  }));
}

const LOOP =
  'for x, y in loader:\n    out = model(x)\n    loss = criterion(out, y)\n    loss.backward()\n';

describe('ML701 tensor-history-leak', () => {
  it.each([
    [
      'total += loss',
      `total = 0\n${LOOP}    total += loss\n`,
      5,
      'total += loss.detach()'
    ],
    [
      'losses.append(loss)',
      `losses = []\n${LOOP}    losses.append(loss)\n`,
      5,
      'losses.append(loss.detach())'
    ],
    [
      'total = total + loss',
      `${LOOP}    total = total + loss\n`,
      4,
      'total = total + loss.detach()'
    ],
    [
      'a scaled loss',
      `${LOOP}    running += loss * x.size(0)\n`,
      4,
      'running += loss.detach() * x.size(0)'
    ],
    [
      'loss_fn',
      'for x, y in data:\n    l = loss_fn(net(x), y)\n    total += l\n',
      2,
      'total += l.detach()'
    ],
    [
      'F.*_loss',
      'import torch.nn.functional as F\nwhile True:\n    loss = F.mse_loss(p, t)\n    hist.append(loss)\n',
      3,
      'hist.append(loss.detach())'
    ],
    [
      'F.cross_entropy plus a penalty',
      'for b in it:\n    loss = F.cross_entropy(z, y) + lam * reg\n    total += loss\n',
      2,
      'total += loss.detach()'
    ],
    [
      'criterion(...).mean()',
      'for b in it:\n    loss = criterion(z, y).mean()\n    total += loss\n',
      2,
      'total += loss.detach()'
    ],
    [
      'model outputs',
      'for x in batches:\n    pred = model(x)\n    preds.append(pred)\n',
      2,
      'preds.append(pred.detach())'
    ],
    [
      'self.criterion in a method',
      'class T:\n    def fit(self):\n        for x, y in self.data:\n            loss = self.criterion(self.model(x), y)\n            self.history.append(loss)\n',
      4,
      'self.history.append(loss.detach())'
    ]
  ])('flags and fixes %s', async (_, source, line, fixedLine) => {
    const findings = await check(ML701, source);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML701',
      severity: 'warning',
      line
    });
    expect(findings[0].column).toBe(source.split('\n')[line].search(/\S/));
    const [fixed] = applyEdits([source], findings[0].fix!.edits);
    expect(fixed.split('\n')[line].trim()).toBe(fixedLine);
    expect(await parsesCleanly(fixed)).toBe(true);
    expect(await check(ML701, fixed)).toHaveLength(0);
  });

  it('needs a sign that some tensor requires gradients (rev 4)', async () => {
    // a network written from scratch: plain tensors, a hand-written backward
    const scratch =
      'costs = []\nfor x, y in batches:\n    out = model.forward(x)\n    cost = loss_func(out, y)\n    model.backward(x, out, y)\n    costs.append(cost)\n';
    expect(await checkCells(ML701, ['import torch', scratch])).toHaveLength(0);
    for (const sign of [
      'w = torch.zeros(3, requires_grad=True)',
      'layer = torch.nn.Linear(3, 1)',
      'cost.backward()'
    ]) {
      expect(
        await checkCells(ML701, [`import torch\n${sign}`, scratch])
      ).toHaveLength(1);
    }
  });

  it('names the accumulation and the producer', async () => {
    const [finding] = await check(ML701, `${LOOP}    total += loss\n`);
    expect(finding.message).toContain('total += loss');
    expect(finding.message).toContain('criterion(...)');
  });

  it.each([
    ['.item()', `${LOOP}    total += loss.item()\n`],
    ['.detach()', `${LOOP}    losses.append(loss.detach())\n`],
    ['float()', `${LOOP}    total += float(loss)\n`],
    [
      'rebinding to a number first',
      `${LOOP}    loss = loss.item()\n    total += loss\n`
    ],
    [
      'torch.no_grad()',
      'with torch.no_grad():\n    for x, y in val:\n        loss = criterion(model(x), y)\n        total += loss\n'
    ],
    [
      'torch.inference_mode() inside the loop',
      'for x, y in val:\n    with torch.inference_mode():\n        loss = criterion(model(x), y)\n        total += loss\n'
    ],
    [
      'a loss computed under inference_mode, accumulated after the block',
      'for x, y in val:\n    with torch.inference_mode():\n        loss = criterion(model(x), y)\n    total += loss\n    losses.append(loss)\n'
    ],
    [
      'a @torch.no_grad() function',
      '@torch.no_grad()\ndef evaluate():\n    for x, y in val:\n        loss = criterion(model(x), y)\n        total += loss\n'
    ],
    [
      'gradient accumulation then backward',
      'acc = 0\nfor x, y in micro:\n    loss = criterion(model(x), y)\n    acc += loss\nacc.backward()\n'
    ],
    [
      'a list stacked for backward',
      'ls = []\nfor x, y in micro:\n    ls.append(criterion(model(x), y))\n    loss = criterion(model(x), y)\n    ls.append(loss)\ntorch.stack(ls).mean().backward()\n'
    ],
    ['outside a loop', 'loss = criterion(model(x), y)\ntotal += loss\n'],
    [
      'an unrelated producer',
      'for x in xs:\n    v = compute(x)\n    total += v\n'
    ],
    [
      'a loss bound outside the loop',
      'loss = criterion(a, b)\nfor i in range(3):\n    total += loss\n'
    ],
    ['numeric accumulation', 'for x in xs:\n    total += x\n']
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML701, source)).toHaveLength(0);
  });

  // rev 3 (real notebooks): only torch tensors carry an autograd graph
  it.each([
    [
      'a notebook that never imports torch',
      ['import numpy as np', `${LOOP}    total += loss\n`]
    ],
    [
      'TensorFlow eager',
      [
        'import tensorflow as tf',
        'for x, y in data:\n    batch_loss = loss_fn(model(x), y)\n    average_loss += batch_loss\n'
      ]
    ]
  ])('does not flag %s (rev 3)', async (_, cells) => {
    expect(await checkCells(ML701, cells)).toHaveLength(0);
  });

  it('flags a loss made of criterion calls in parentheses (rev 3)', async () => {
    const findings = await check(
      ML701,
      'for x, y in loader:\n    d_loss = 0.5 * (criterion(a, y) + criterion(b, y))\n    d_losses.append(d_loss)\n'
    );
    expect(findings).toHaveLength(1);
  });

  it('flags a loss the loop backpropagates, whatever call made it', async () => {
    const [finding, ...rest] = await check(
      ML701,
      'crit = nn.CrossEntropyLoss()\nfor x, y in loader:\n    loss = crit(net(x), y)\n    loss.backward()\n    running += loss\n'
    );
    expect(rest).toHaveLength(0);
    expect(finding.message).toContain(
      'loss is backpropagated: loss.backward()'
    );
    expect(
      await check(
        ML701,
        'for x, y in loader:\n    loss = crit(net(x), y)\n    loss.backward()\n    running += loss.item()\n'
      )
    ).toHaveLength(0);
  });

  it('flags a sum of losses bound earlier in the loop, naming their producer', async () => {
    const findings = await check(
      ML701,
      'for x, y in loader:\n    real_loss = F.binary_cross_entropy(d(x), y)\n    fake_loss = F.binary_cross_entropy(d(g(z)), 1 - y)\n    d_loss = 0.5 * (real_loss + fake_loss)\n    d_loss.backward()\n    d_losses.append(d_loss)\n'
    );
    expect(findings.map(f => f.line)).toEqual([5]);
    expect(findings[0].message).toContain('F.binary_cross_entropy(...)');
    expect(
      await check(
        ML701,
        'for x, y in loader:\n    real_loss = criterion(d(x), y).item()\n    fake_loss = criterion(d(g(z)), y).item()\n    d_loss = real_loss + fake_loss\n    d_losses.append(d_loss)\n'
      )
    ).toHaveLength(0);
  });
});

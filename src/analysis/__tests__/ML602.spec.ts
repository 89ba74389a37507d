import { ML602 } from '../rules/ML602-figure-not-closed';
import { check } from './harness';

describe('ML602 figure-not-closed', () => {
  it.each([
    [
      'plt.subplots in a for loop',
      'for g in groups:\n    fig, ax = plt.subplots()\n    ax.plot(g)\n    fig.savefig(f"{g}.png")',
      1,
      14
    ],
    [
      'fig = plt.figure()',
      'for i in range(100):\n    fig = plt.figure(figsize=(4, 3))\n    plt.plot(data[i])',
      1,
      10
    ],
    [
      'a bare plt.figure()',
      'while more():\n    plt.figure()\n    plt.plot(next_batch())',
      1,
      4
    ],
    [
      'an imported alias',
      'import matplotlib.pyplot as mpl\nfor x in xs:\n    f, a = mpl.subplots()',
      2,
      11
    ],
    [
      'from pyplot import',
      'from matplotlib.pyplot import figure\nfor x in xs:\n    figure()',
      2,
      4
    ],
    [
      'nested loops',
      'for a in A:\n    for b in B:\n        fig = plt.figure()',
      2,
      14
    ],
    ['a computed figure number', 'for i in range(9):\n    plt.figure(i)', 1, 4],
    [
      'inside a function',
      'def plots(xs):\n    for x in xs:\n        fig, ax = plt.subplots()\n        ax.plot(x)',
      2,
      18
    ]
  ])('flags %s, anchored at the call', async (_, source, line, column) => {
    const findings = await check(ML602, source);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML602',
      severity: 'warning',
      line,
      column,
      fix: null
    });
  });

  it('names the call', async () => {
    const [finding] = await check(
      ML602,
      'for x in xs:\n    fig, ax = plt.subplots()'
    );
    expect(finding.message).toContain('plt.subplots()');
  });

  it.each([
    [
      'a loop that closes the figure',
      'for g in groups:\n    fig, ax = plt.subplots()\n    fig.savefig(f"{g}.png")\n    plt.close(fig)'
    ],
    [
      'a loop that closes all',
      'for g in groups:\n    plt.figure()\n    plt.close("all")'
    ],
    [
      'an outer loop that closes',
      'for a in A:\n    for b in B:\n        fig = plt.figure()\n    plt.close("all")'
    ],
    [
      'a loop that shows (inline backend closes)',
      'for g in groups:\n    plt.figure()\n    plt.plot(g)\n    plt.show()'
    ],
    [
      'a single figure outside loops',
      'fig, ax = plt.subplots()\nfor x in xs:\n    ax.plot(x)'
    ],
    [
      'a figure in the loop header',
      'for ax in plt.subplots(2)[1]:\n    ax.plot(x)'
    ],
    [
      'a function defined in a loop',
      'for k in ks:\n    def draw():\n        return plt.figure()'
    ],
    [
      'matplotlib.figure.Figure (not registered)',
      'from matplotlib.figure import Figure\nfor x in xs:\n    fig = Figure()'
    ],
    [
      'a figure reused by number',
      'for x in xs:\n    plt.figure(1)\n    plt.plot(x)'
    ],
    ['a figure reused by label', 'for x in xs:\n    fig = plt.figure("loss")'],
    [
      'subplots reused by num=',
      'for x in xs:\n    fig, ax = plt.subplots(num=1, clear=True)'
    ],
    ['an unrelated figure()', 'for x in xs:\n    p = bokeh.plotting.figure()']
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML602, source)).toHaveLength(0);
  });
});

import { ML602 } from '../ML602-figure-not-closed';
import { applyEdits, check, parsesCleanly } from '../../../__tests__/harness';

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
      'for i in range(100):\n    fig = plt.figure(figsize=(4, 3))\n    plt.plot(data[i])\n    plt.savefig(f"{i}.png")',
      1,
      10
    ],
    [
      'a bare plt.figure()',
      'while more():\n    plt.figure()\n    plt.plot(next_batch())\n    plt.savefig("batch.png")',
      1,
      4
    ],
    [
      'an imported alias',
      'import matplotlib.pyplot as mpl\nfor x in xs:\n    f, a = mpl.subplots()\n    f.savefig(x)',
      2,
      11
    ],
    [
      'from pyplot import',
      'from matplotlib.pyplot import figure, savefig\nfor x in xs:\n    figure()\n    plt.savefig(x)',
      2,
      4
    ],
    [
      'nested loops',
      'for a in A:\n    for b in B:\n        fig = plt.figure()\n        fig.savefig(f"{a}-{b}.png")',
      2,
      14
    ],
    [
      'a computed figure number',
      'for i in range(9):\n    plt.figure(i)\n    plt.savefig(f"{i}.png")',
      1,
      4
    ],
    [
      'inside a function',
      'def plots(xs):\n    for x in xs:\n        fig, ax = plt.subplots()\n        ax.plot(x)\n        fig.savefig(f"{x}.png", dpi=100)',
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
      column
    });
  });

  it('names the call and fixes it with plt.close(fig) after savefig', async () => {
    const source =
      'for name, group in df.groupby("site"):\n    fig, ax = plt.subplots()\n    group.plot(ax=ax)\n    fig.savefig(f"{name}.png")\n    print(name)\n';
    const [finding] = await check(ML602, source);
    expect(finding.message).toContain('plt.subplots()');
    const fixed = applyEdits([source], finding.fix!.edits)[0];
    expect(fixed).toBe(
      'for name, group in df.groupby("site"):\n    fig, ax = plt.subplots()\n    group.plot(ax=ax)\n    fig.savefig(f"{name}.png")\n    plt.close(fig)\n    print(name)\n'
    );
    expect(await parsesCleanly(fixed)).toBe(true);
    expect(await check(ML602, fixed)).toHaveLength(0);
  });

  // rev 2: the inline backend shows and closes these at the end of the cell.
  it.each([
    [
      'small multiples drawn in a loop',
      'for col in ["a", "b", "c"]:\n    plt.figure()\n    df[col].hist()\n    plt.title(col)'
    ],
    [
      'subplots per group, only displayed',
      'for name, g in df.groupby("k"):\n    fig, ax = plt.subplots(figsize=(4, 3))\n    g.plot(ax=ax, title=name)'
    ]
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML602, source)).toHaveLength(0);
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

import { ML702 } from '../ML702-global-accumulator';
import { check } from '../../../__tests__/harness';

describe('ML702 global-accumulator', () => {
  it('flags a function appending to a top-level list', async () => {
    const [finding, ...rest] = await check(ML702, [
      'results = []',
      'def run(x):\n    out = x * 2\n    results.append(out)\n    return out'
    ]);
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({
      cell: 1,
      line: 2,
      column: 4,
      endColumn: 23
    });
    expect(finding.message).toContain('`results`');
  });

  it('flags dict item assignment and defaultdict', async () => {
    expect(
      await check(
        ML702,
        'cache = {}\ndef get(k):\n    cache[k] = load(k)\n    return cache[k]'
      )
    ).toHaveLength(1);
    expect(
      await check(
        ML702,
        'from collections import defaultdict\nseen = defaultdict(list)\ndef add(k, v):\n    seen[k].append(v)'
      )
    ).toHaveLength(0);
    expect(
      await check(
        ML702,
        'import collections\nseen = collections.defaultdict(list)\ndef add(k, v):\n    seen.setdefault(k, v)'
      )
    ).toHaveLength(1);
  });

  it.each([
    [
      'bounded deques',
      'from collections import deque\nhist = deque(maxlen=10)\ndef f(x):\n    hist.append(x)'
    ],
    [
      'top-level appends',
      'items = []\nfor i in range(3):\n    items.append(i)'
    ],
    [
      'a local list of the same name',
      'items = []\ndef f():\n    items = []\n    items.append(1)\n    return items'
    ],
    [
      'a container cleared',
      'log = []\ndef f(x):\n    log.append(x)\ndef reset():\n    log.clear()'
    ],
    [
      'a container reset through global',
      'log = []\ndef f(x):\n    global log\n    log = []\n    log.append(x)'
    ],
    ['a parameter', 'def f(acc, x):\n    acc.append(x)']
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML702, source)).toHaveLength(0);
  });

  // rev 3 (real notebooks): a container made fresh right before its one use
  it('does not flag a traversal whose containers are re-created before the call (rev 3)', async () => {
    const cell =
      'visited = set()\ntopo = []\n\ndef build(v):\n    if v not in visited:\n        visited.add(v)\n        for child in v.children:\n            build(child)\n        topo.append(v)\n\nbuild(root)\nprint(len(topo))\n';
    expect(await check(ML702, [cell])).toHaveLength(0);
  });

  it('does not flag a log of messages, but does once a call adds data', async () => {
    const define =
      'LOG = []\n\ndef log(msg):\n    LOG.append(msg)\n    print(msg)\n';
    const calls = 'for k in folds:\n    log(f"fold {k} done")\nlog("all done")';
    expect(await check(ML702, [define, calls])).toHaveLength(0);
    expect(
      await check(ML702, [
        'notes = []\n\ndef note():\n    notes.append(f"step {len(notes)}")\n',
        'note()'
      ])
    ).toHaveLength(0);
    expect(
      await check(ML702, [define, calls, 'log(predictions)'])
    ).toHaveLength(1);
  });

  it('still flags when the function is called from another cell (rev 3)', async () => {
    const define = 'seen = []\n\ndef remember(x):\n    seen.append(x)\n';
    expect(await check(ML702, [define, 'remember(1)'])).toHaveLength(1);
  });
});

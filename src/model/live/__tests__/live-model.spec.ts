import { HelperConnection } from '../../../kernel/connection';
import {
  FakeKernel,
  IFakeHelper,
  memoryHelper,
  standardHelper
} from '../../../kernel/__tests__/fake-kernel';
import { LiveMemoryModel } from '../live-model';
import { FakeSession } from './live-session';

const options = () => ({
  thresholdBytes: 1,
  timeline: false,
  refreshAfterEachCell: true
});

/** A snapshot reply body. */
function snapshot(
  seq: number,
  complete: boolean,
  names: string[],
  extra: object = {}
) {
  return {
    seq,
    complete,
    elapsed_ms: 1,
    budget_ms: 200,
    variables: names.map(name => ({
      name,
      type: 'int',
      size_bytes: 28,
      size_exact: true,
      size_error: 0,
      shape: null,
      len: null,
      dtype: null,
      held_by: [],
      storage: 'heap'
    })),
    skipped: [],
    hidden: [],
    findings: [],
    total_bytes: 28 * names.length,
    gc: {
      enabled: true,
      count: [0, 0, 0],
      threshold: [700, 10, 10],
      stats: [],
      frozen: 0,
      garbage: 0
    },
    process: {
      rss_bytes: 1000 + seq,
      peak_rss_bytes: null,
      uss_bytes: null,
      pid: 1
    },
    ...extra
  };
}

/** A helper whose snapshot replies come from `answers`, one per request. */
function scripted(answers: ((request: Record<string, unknown>) => object)[]) {
  const base = standardHelper('1.1');
  const helper: IFakeHelper = {
    installed: true,
    answer: request => {
      if (request.type !== 'snapshot') {
        return base.answer(request);
      }
      const next = answers.shift();
      return next
        ? {
            protocol: '1.1',
            id: request.id,
            type: 'snapshot_reply',
            ok: true,
            snapshot: next(request)
          }
        : null;
    }
  };
  return helper;
}

const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached');
    }
    await wait(5);
  }
}

/** Models of the running test: disposed after it, even when it fails. */
const models: LiveMemoryModel[] = [];
afterEach(() => models.splice(0).forEach(model => model.dispose()));

async function setUp(helper: IFakeHelper, subshell = true) {
  const kernel = new FakeKernel(helper);
  const session = new FakeSession();
  const model = new LiveMemoryModel(session.asSession, options);
  models.push(model);
  const connection = new HelperConnection(kernel.asKernel, {
    autoInject: false,
    timeoutMs: 500
  });
  session.setConnection(connection);
  await connection.connect();
  if (subshell) {
    kernel.comms[0].subshellId = 'subshell-1';
  }
  const snapshots = () => kernel.sent.filter(m => m.type === 'snapshot');
  return { kernel, session, model, connection, snapshots };
}

describe('LiveMemoryModel', () => {
  it('follows an incomplete snapshot up, one request after the other, until complete', async () => {
    const { model, snapshots } = await setUp(
      scripted([
        () => snapshot(1, false, ['a']),
        () => snapshot(2, false, ['b'], { delta: true, removed: [] }),
        () => snapshot(3, true, ['c'], { delta: true, removed: ['a'] })
      ])
    );
    model.visible = true;
    await until(() => model.snapshot?.complete === true);
    // Each follow-up said which answer it had: none was sent before the
    // previous answer was applied.
    expect(snapshots().map(m => m.since)).toEqual([undefined, 1, 2]);
    // The deltas were merged into the full picture.
    expect(model.snapshot?.variables.map(v => v.name).sort()).toEqual([
      'b',
      'c'
    ]);
    await wait(200);
    expect(snapshots()).toHaveLength(3);
    model.dispose();
  });

  it('stops following up when the panel is hidden', async () => {
    const answers = Array.from(
      { length: 50 },
      (_, i) => () => snapshot(i + 1, false, ['x'])
    );
    const { model, snapshots } = await setUp(scripted(answers));
    model.visible = true;
    await until(() => snapshots().length >= 2);
    model.visible = false;
    const sent = snapshots().length;
    await wait(300);
    expect(snapshots().length).toBeLessThanOrEqual(sent + 1);
    model.dispose();
  });

  it('asks for everything when a delta arrives without its base', async () => {
    const { model, snapshots } = await setUp(
      scripted([
        () => snapshot(5, true, ['late'], { delta: true, removed: [] }),
        () => snapshot(6, true, ['a', 'b'])
      ])
    );
    model.visible = true;
    await until(() => model.snapshot !== null);
    expect(model.snapshot?.variables.map(v => v.name)).toEqual(['a', 'b']);
    expect(snapshots()[1].since).toBeUndefined();
    model.dispose();
  });

  it('refreshes about every second while a cell runs when the helper answers on a subshell', async () => {
    const answers = Array.from(
      { length: 20 },
      (_, i) => () => snapshot(i + 1, true, ['x'])
    );
    const { model, session, snapshots } = await setUp(scripted(answers));
    model.visible = true;
    await until(() => model.snapshot !== null);
    session.setStatus('busy');
    await wait(2300);
    // One at the start, then one per second of the running cell.
    expect(snapshots().length).toBeGreaterThanOrEqual(3);
    expect(snapshots().length).toBeLessThanOrEqual(4);
    expect(model.busy).toBe(false);
    session.setStatus('idle');
    const sent = snapshots().length;
    await wait(1200);
    expect(snapshots()).toHaveLength(sent);
    model.dispose();
  });

  it('says busy instead of asking when the helper cannot answer during a cell', async () => {
    const { model, session, snapshots } = await setUp(
      scripted([() => snapshot(1, true, ['x'])]),
      false
    );
    model.visible = true;
    await until(() => model.snapshot !== null);
    let changes = 0;
    model.changed.connect(() => changes++);
    session.setStatus('busy');
    await until(() => model.busy, 2000);
    expect(snapshots()).toHaveLength(1);
    expect(changes).toBeGreaterThan(0);
    session.setStatus('idle');
    expect(model.busy).toBe(false);
    model.dispose();
  });

  it('no longer refreshes once hidden or disposed', async () => {
    const answers = Array.from(
      { length: 20 },
      (_, i) => () => snapshot(i + 1, true, ['x'])
    );
    const { model, session, snapshots } = await setUp(scripted(answers));
    model.visible = true;
    await until(() => model.snapshot !== null);
    session.setStatus('busy');
    model.visible = false;
    await wait(1300);
    expect(snapshots()).toHaveLength(1);
    model.visible = true;
    model.dispose();
    await wait(1300);
    expect(snapshots().length).toBeLessThanOrEqual(2);
  });

  it('forgets the facts of a replaced connection', async () => {
    const { model, session, kernel } = await setUp(
      scripted([() => snapshot(1, true, ['x'])])
    );
    model.visible = true;
    await until(() => model.snapshot !== null);
    session.setConnection(null);
    expect(model.snapshot).toBeNull();
    expect(model.state).toBe('no-kernel');
    expect(kernel.comms).toHaveLength(1);
    model.dispose();
  });

  it('explains the memory on a refresh, and after an action before it reports', async () => {
    const GiB = 2 ** 30;
    const memory = {
      rss: 3 * GiB,
      detected: 24 * GiB,
      override: null,
      interruptAt: null,
      postmortem: null,
      allocator: 400 * 2 ** 20
    };
    const { model, kernel } = await setUp(memoryHelper(memory));
    // the limit of hello, before any snapshot
    expect(model.limit).toEqual({ bytes: 24 * GiB, source: 'cgroup' });
    await model.refresh();
    expect(model.explanation?.rss_bytes).toBe(3 * GiB);
    expect(model.explanation?.parts.map(p => p.kind)).toEqual([
      'variables',
      'hidden',
      'baseline',
      'allocator',
      'unattributed'
    ]);
    expect(kernel.sent.filter(m => m.type === 'explain')).toHaveLength(1);
    // an action resolves once the explanation after it is in
    const result = await model.act('release_to_os');
    expect(result.released_bytes).toBe(400 * 2 ** 20);
    expect(
      model.explanation?.parts.find(p => p.kind === 'allocator')?.bytes
    ).toBe(0);
    expect(model.rssBytes).toBe(3 * GiB - 400 * 2 ** 20);
    // a limit set by the guard shows before the next snapshot
    model.updateLimit({ bytes: 4 * GiB, source: 'setting' });
    expect(model.limit).toEqual({ bytes: 4 * GiB, source: 'setting' });
    model.dispose();
  });

  it('does not ask a helper older than 1.2 to explain', async () => {
    const { model, kernel } = await setUp(
      scripted([() => snapshot(1, true, ['x'])])
    );
    await model.refresh();
    expect(model.snapshot).not.toBeNull();
    expect(model.explanation).toBeNull();
    expect(model.limit).toBeNull();
    expect(kernel.sent.filter(m => m.type === 'explain')).toHaveLength(0);
    model.dispose();
  });

  it('explains once a progressive pass completes, not on every follow-up', async () => {
    const base = memoryHelper({
      rss: 1000,
      detected: null,
      override: null,
      interruptAt: null,
      postmortem: null,
      allocator: 0
    });
    const answers = [
      () => snapshot(1, false, ['a']),
      () => snapshot(2, false, ['b'], { delta: true, removed: [] }),
      () => snapshot(3, true, ['c'], { delta: true, removed: [] })
    ];
    const { model, kernel } = await setUp({
      installed: true,
      answer: request =>
        request.type === 'snapshot'
          ? {
              protocol: '1.2',
              id: request.id,
              type: 'snapshot_reply',
              ok: true,
              snapshot: answers.shift()!()
            }
          : base.answer(request)
    });
    model.visible = true;
    await until(() => model.snapshot?.complete === true);
    await until(() => model.explanation !== null);
    // the refresh that started the pass, and the follow-up that ended it
    expect(kernel.sent.filter(m => m.type === 'explain')).toHaveLength(2);
    model.dispose();
  });
});

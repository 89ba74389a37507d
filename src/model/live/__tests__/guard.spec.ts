import { HelperConnection } from '../../../kernel/connection';
import {
  FakeKernel,
  IFakeMemory,
  memoryHelper
} from '../../../kernel/__tests__/fake-kernel';
import type { GuardData, Postmortem } from '../../../kernel/protocol';
import type { ILiveOptions, IMemoryLimit } from '../../../tokens';
import { MemoryGuard } from '../guard';
import { FakeSession } from './live-session';

const GiB = 2 ** 30;

const POSTMORTEM = {
  time: 1765152000,
  rss_bytes: 23 * GiB,
  limit_bytes: 24 * GiB,
  limit_source: 'cgroup',
  execution_count: 12,
  cell_id: 'c12',
  running: true,
  top: [{ name: 'df', bytes: 12 * GiB }],
  likely_oom: true
};

const guards: MemoryGuard[] = [];
afterEach(() => guards.splice(0).forEach(guard => guard.dispose()));

async function setUp(
  settings: Partial<ILiveOptions>,
  memory: Partial<IFakeMemory> = {}
) {
  const state: IFakeMemory = {
    rss: GiB,
    detected: 16 * GiB,
    override: null,
    interruptAt: null,
    postmortem: null,
    allocator: 0,
    ...memory
  };
  const options: ILiveOptions = {
    thresholdBytes: 1,
    timeline: false,
    refreshAfterEachCell: true,
    ...settings
  };
  const kernel = new FakeKernel(memoryHelper(state));
  const session = new FakeSession();
  const limits: (IMemoryLimit | null)[] = [];
  const guard = new MemoryGuard(
    session.asSession,
    () => options,
    limit => limits.push(limit)
  );
  guards.push(guard);
  const found: Postmortem[] = [];
  guard.postmortemFound.connect((_, postmortem) => found.push(postmortem));
  const connection = new HelperConnection(kernel.asKernel, {
    autoInject: false,
    timeoutMs: 500
  });
  session.setConnection(connection);
  await connection.connect();
  const guardRequests = () => kernel.sent.filter(m => m.type === 'guard');
  await until(() => guardRequests().length > 0);
  await new Promise(resolve => setTimeout(resolve, 20));
  return {
    state,
    options,
    kernel,
    session,
    guard,
    connection,
    limits,
    found,
    guardRequests
  };
}

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached');
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

describe('MemoryGuard', () => {
  it('leaves the helper as it is by default: detected limit, guard off', async () => {
    const { state, guardRequests, limits } = await setUp({});
    expect(guardRequests()).toHaveLength(1);
    expect(guardRequests()[0]).toMatchObject({
      limit_bytes: null,
      interrupt_at_bytes: null
    });
    expect(state.interruptAt).toBeNull();
    expect(limits).toEqual([{ bytes: 16 * GiB, source: 'cgroup' }]);
  });

  it('sends a limit and a guard level in bytes on connect', async () => {
    const { state, guard, limits } = await setUp({
      memoryLimitBytes: 8 * GiB,
      guardLevel: { bytes: 6 * GiB }
    });
    expect(state.override).toBe(8 * GiB);
    expect(state.interruptAt).toBe(6 * GiB);
    expect(limits).toEqual([{ bytes: 8 * GiB, source: 'setting' }]);
    expect(guard.error).toBeNull();
  });

  it('takes a share of the limit the helper detects', async () => {
    const { state, guardRequests } = await setUp(
      { guardLevel: { fraction: 0.9 } },
      { override: 2 * GiB } // an earlier page set a limit the settings no longer have
    );
    expect(guardRequests().map(m => 'limit_bytes' in m)).toEqual([true, false]);
    expect(state.override).toBeNull();
    expect(state.interruptAt).toBe(Math.round(0.9 * 16 * GiB));
  });

  it('says why a share of no limit cannot arm the guard', async () => {
    const { state, guard } = await setUp(
      { guardLevel: { fraction: 0.9 } },
      { detected: null }
    );
    expect(state.interruptAt).toBeNull();
    expect(guard.error).toContain('found no memory limit');
  });

  it('applies changed settings, and disarms', async () => {
    const { state, options, guard } = await setUp({
      guardLevel: { bytes: 3 * GiB }
    });
    expect(state.interruptAt).toBe(3 * GiB);
    expect(guard.level).toBe(3 * GiB);
    options.guardLevel = null;
    await guard.apply();
    expect(state.interruptAt).toBeNull();
    expect(guard.level).toBeNull();
  });

  it('never interleaves the requests of two quick changes', async () => {
    const { state, options, guard } = await setUp({});
    // the guard turned on (at 90% of the limit), then its level changed
    options.guardLevel = { fraction: 0.9 };
    const first = guard.apply();
    options.guardLevel = { bytes: 3 * GiB };
    await Promise.all([first, guard.apply()]);
    expect(state.interruptAt).toBe(3 * GiB);
    expect(guard.level).toBe(3 * GiB);
  });

  it('relays the guard event', async () => {
    const { kernel, guard } = await setUp({ guardLevel: { bytes: GiB } });
    const tripped: GuardData[] = [];
    guard.tripped.connect((_, data) => tripped.push(data));
    const data = {
      rss_bytes: 1_200_000_000,
      interrupt_at_bytes: GiB,
      limit_bytes: 16 * GiB,
      execution_count: 3,
      cell_id: 'c3',
      top: [{ name: 'big', bytes: GiB }]
    };
    kernel.comms[0].push({
      protocol: '1.2',
      type: 'event',
      event: 'guard',
      data
    });
    expect(tripped).toEqual([data]);
  });

  it('keeps the post-mortem of hello until the next restart or a dismissal', async () => {
    const { guard, found, session } = await setUp(
      {},
      { postmortem: { ...POSTMORTEM } }
    );
    expect(found).toHaveLength(1);
    expect(found[0].top[0].name).toBe('df');
    expect(guard.postmortem?.likely_oom).toBe(true);
    session.setStatus('autorestarting');
    expect(guard.postmortem).toBeNull();
    guard.dismissPostmortem(); // nothing to forget: no error
  });

  it('forgets a post-mortem the user dismissed', async () => {
    const { guard } = await setUp({}, { postmortem: { ...POSTMORTEM } });
    let changes = 0;
    guard.changed.connect(() => changes++);
    guard.dismissPostmortem();
    expect(guard.postmortem).toBeNull();
    expect(changes).toBe(1);
  });
});

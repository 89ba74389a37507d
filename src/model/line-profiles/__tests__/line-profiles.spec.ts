import { Signal } from '@lumino/signaling';
import { HelperConnection } from '../../../kernel/connection';
import type { KernelSession } from '../../../kernel/kernel-session';
import type { Profile } from '../../../kernel/protocol';
import {
  FakeKernel,
  IFakeHelper,
  standardHelper
} from '../../../kernel/__tests__/fake-kernel';
import { LineProfileModel } from '../line-profiles';

/**
 * A helper that can profile lines (or not): protocol 1.1 (exact only), or
 * 1.2 with the methods it lists.
 */
function profilingHelper(
  features = ['cell-events', 'line-profile'],
  methods: string[] | null = null
): IFakeHelper {
  const standard = standardHelper(methods ? '1.2' : '1.1');
  return {
    installed: true,
    answer: request => {
      const reply = standard.answer(request);
      if (request.type === 'hello' && reply) {
        const capabilities = reply.capabilities as Record<string, unknown>;
        return {
          ...reply,
          capabilities: {
            ...capabilities,
            features,
            ...(methods ? { profile_methods: methods } : {})
          }
        };
      }
      if (request.type === 'profile') {
        return {
          ...reply,
          cell_id: request.cell_id,
          armed: true,
          already_armed: false,
          ...(methods ? { method: request.method ?? 'tracemalloc' } : {})
        };
      }
      return reply;
    }
  };
}

/** Just the part of KernelSession the model uses. */
class FakeSession {
  connection: HelperConnection | null = null;
  connectionChanged = new Signal<this, HelperConnection | null>(this);

  async connect(helper: IFakeHelper): Promise<FakeKernel> {
    const kernel = new FakeKernel(helper);
    const connection = new HelperConnection(kernel.asKernel, {
      autoInject: false
    });
    this.connection = connection;
    this.connectionChanged.emit(connection);
    await connection.connect();
    return kernel;
  }

  drop(): void {
    this.connection?.dispose();
    this.connection = null;
    this.connectionChanged.emit(null);
  }

  get asSession(): KernelSession {
    return this as unknown as KernelSession;
  }
}

const profile = (overrides: Partial<Profile> = {}): Profile => ({
  cell_id: 'c1',
  execution_count: 4,
  duration_ms: 12,
  method: 'tracemalloc',
  net_bytes: 1000,
  peak_bytes: 5000,
  lines: [{ line: 1, net_bytes: 1000, peak_bytes: 5000, count: 1 }],
  ...overrides
});

function push(kernel: FakeKernel, data: Profile): void {
  kernel.comms[kernel.comms.length - 1].push({
    protocol: '1.1',
    type: 'event',
    event: 'profile',
    data
  });
}

describe('LineProfileModel', () => {
  const sources: Record<string, string> = { c1: 'now = 1', c2: 'b = 2' };
  let session: FakeSession;
  let model: LineProfileModel;

  beforeEach(() => {
    session = new FakeSession();
    model = new LineProfileModel(session.asSession, id => sources[id] ?? null);
  });

  afterEach(() => model.dispose());

  it('arms a cell with a profile request and keeps the source it ran', async () => {
    const kernel = await session.connect(profilingHelper());
    await model.arm('c1', 'a = np.ones(10)');
    expect(kernel.sent.filter(m => m.type === 'profile')).toEqual([
      expect.objectContaining({ type: 'profile', cell_id: 'c1' })
    ]);
    expect([...model.armed]).toEqual(['c1']);
    const received: string[] = [];
    model.received.connect((_, entry) => received.push(entry.source));
    push(kernel, profile());
    expect(received).toEqual(['a = np.ones(10)']);
    expect(model.armed.size).toBe(0);
    expect(model.get('c1')?.profile.peak_bytes).toBe(5000);
    expect(model.isProfiledRun('c1', 4)).toBe(true);
    expect(model.isProfiledRun('c1', 5)).toBe(false);
  });

  it('arms a sampled profile on a 1.2 helper', async () => {
    const kernel = await session.connect(
      profilingHelper(undefined, ['tracemalloc', 'sampled'])
    );
    await model.arm('c1', 'a = 1', 'sampled');
    await model.arm('c2', 'b = 2');
    expect(kernel.sent.filter(m => m.type === 'profile')).toEqual([
      expect.objectContaining({ cell_id: 'c1', method: 'sampled' }),
      expect.objectContaining({ cell_id: 'c2', method: 'tracemalloc' })
    ]);
    push(kernel, profile({ method: 'sampled' }));
    expect(model.get('c1')?.profile.method).toBe('sampled');
  });

  it('asks a 1.1 helper without a method, and refuses to sample there', async () => {
    const kernel = await session.connect(profilingHelper());
    await model.arm('c1', 'a = 1');
    const sent = kernel.sent.filter(m => m.type === 'profile');
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty('method');
    await expect(model.arm('c2', 'b = 2', 'sampled')).rejects.toThrow(
      /cannot make sampled profiles/
    );
    expect([...model.armed]).toEqual(['c1']);
  });

  it('takes profiles it did not arm (the magic) with the current source', async () => {
    const kernel = await session.connect(profilingHelper());
    push(kernel, profile({ cell_id: 'c2' }));
    expect(model.get('c2')?.source).toBe('b = 2');
    push(kernel, profile({ cell_id: 'gone' }));
    expect(model.get('gone')).toBeNull();
    push(kernel, profile({ cell_id: null }));
    expect(model.profiles.map(p => p.cellId)).toEqual(['c2']);
  });

  it('lists profiles biggest peak first and forgets deleted cells', async () => {
    const kernel = await session.connect(profilingHelper());
    push(kernel, profile({ cell_id: 'c1', peak_bytes: 10 }));
    push(kernel, profile({ cell_id: 'c2', peak_bytes: 99 }));
    expect(model.profiles.map(p => p.cellId)).toEqual(['c2', 'c1']);
    model.retain(new Set(['c1']));
    expect(model.profiles.map(p => p.cellId)).toEqual(['c1']);
  });

  it('refuses to arm without a ready helper or one that cannot profile', async () => {
    await expect(model.arm('c1', 'x')).rejects.toThrow(/not connected/);
    await session.connect(profilingHelper(['cell-events']));
    await expect(model.arm('c1', 'x')).rejects.toThrow(/cannot profile lines/);
    expect(model.armed.size).toBe(0);
  });

  it('drops armed cells when the kernel goes away, and their profiled runs', async () => {
    const kernel = await session.connect(profilingHelper());
    push(kernel, profile({ cell_id: 'c2' }));
    await model.arm('c1', 'x');
    const dropped: (readonly string[])[] = [];
    model.dropped.connect((_, ids) => dropped.push(ids));
    session.drop();
    expect(dropped).toEqual([['c1']]);
    expect(model.armed.size).toBe(0);
    expect(model.isProfiledRun('c2', 4)).toBe(false);
    // the profile itself describes code, not the process: it stays
    expect(model.get('c2')).not.toBeNull();
  });

  it('ignores events of a connection it no longer follows', async () => {
    const old = await session.connect(profilingHelper());
    session.drop();
    await session.connect(profilingHelper());
    push(old, profile());
    expect(model.get('c1')).toBeNull();
  });
});

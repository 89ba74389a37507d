import type { ICellInput } from '../../analyzer/engine/engine';
import type { ICellFinding, ILiveFacts } from '../../analyzer/types';
import { REQUEST_TIMEOUT_MS, WorkerClient } from '../client';
import { WORKER_PROTOCOL_VERSION } from '../protocol';
import { WorkerAnalyzer } from '../worker-analyzer';
import { RecordingWorker, settle } from './workers';

const ASSETS = { runtime: 'http://x/rt.wasm', python: 'http://x/py.wasm' };

const cells = (...sources: string[]): ICellInput[] =>
  sources.map((source, i) => ({ id: `c${i}`, kind: 'code', source }));

const finding = (cell: number): ICellFinding => ({
  rule: 'ML101',
  severity: 'warning',
  cell,
  cellId: `c${cell}`,
  line: 0,
  column: 0,
  endLine: 0,
  endColumn: 1,
  message: 'm',
  rationale: 'r',
  fix: null
});

/** The notebook findings of a single finding in each of `cells`. */
const found = (...cells: ICellFinding[]) =>
  new Map(cells.map(f => [f.cellId, [f]]));

const STATS = {
  parsed: 1,
  reused: 0,
  incremental: 0,
  failures: [],
  timings: {}
};

/** A ready client on a recording worker, and an analyzer using it. */
async function setup(): Promise<{
  worker: RecordingWorker;
  analyzer: WorkerAnalyzer;
  client: WorkerClient;
}> {
  const worker = new RecordingWorker();
  const client = new WorkerClient(worker, ASSETS);
  worker.ready();
  await client.ready;
  return {
    worker,
    client,
    analyzer: new WorkerAnalyzer('nb', async () => client)
  };
}

describe('WorkerClient', () => {
  it('starts with init and is ready once the worker says so', async () => {
    const worker = new RecordingWorker();
    const client = new WorkerClient(worker, ASSETS);
    expect(worker.sent).toEqual([
      {
        type: 'init',
        seq: 1,
        protocol: WORKER_PROTOCOL_VERSION,
        assets: ASSETS
      }
    ]);
    worker.ready();
    await expect(client.ready).resolves.toBeUndefined();
    expect(client.isDead).toBe(false);
  });

  it('is dead when the worker fails to initialise or cannot load', async () => {
    const failing = new RecordingWorker();
    const client = new WorkerClient(failing, ASSETS);
    failing.reply({ type: 'failed', seq: 1, error: 'no wasm', resync: false });
    await expect(client.ready).rejects.toThrow(/failed to start: no wasm/);
    expect(failing.terminated).toBe(true);

    const unloadable = new RecordingWorker();
    const other = new WorkerClient(unloadable, ASSETS);
    unloadable.crash('');
    await expect(other.ready).rejects.toThrow(/could not be loaded/);
    await expect(
      other.request('analyze', {
        notebook: 'nb',
        order: [],
        changed: [],
        options: {},
        known: false
      })
    ).rejects.toThrow(/could not be loaded/);
  });

  it('stops a worker that does not answer an analysis in time', async () => {
    jest.useFakeTimers();
    try {
      const worker = new RecordingWorker();
      const client = new WorkerClient(worker, ASSETS);
      worker.ready();
      await client.ready;
      const answered = client.request('analyze', {
        notebook: 'nb',
        order: [],
        changed: [],
        options: {},
        known: false
      });
      worker.reply({
        type: 'analyzed',
        seq: worker.requests('analyze')[0].seq,
        cells: [],
        complete: true,
        stats: STATS
      });
      await answered;
      // an answered request leaves no timer that could stop the worker later
      jest.advanceTimersByTime(REQUEST_TIMEOUT_MS + 1);
      expect(client.isDead).toBe(false);

      const hung = client.request('analyze', {
        notebook: 'nb',
        order: [],
        changed: [],
        options: {},
        known: true
      });
      jest.advanceTimersByTime(REQUEST_TIMEOUT_MS - 1);
      expect(client.isDead).toBe(false);
      jest.advanceTimersByTime(1);
      await expect(hung).rejects.toThrow(/did not answer within 60 s/);
      expect(worker.terminated).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('WorkerAnalyzer', () => {
  it('sends all cells once, then the order and the edited cells only', async () => {
    const { worker, analyzer } = await setup();
    const first = analyzer.analyze(cells('a = 1', 'b = 2', 'c = 3'), {});
    await settle();
    let [request] = worker.requests('analyze');
    expect(request.changed.map(c => c.source)).toEqual([
      'a = 1',
      'b = 2',
      'c = 3'
    ]);
    worker.reply({
      type: 'analyzed',
      seq: request.seq,
      cells: [['c2', [finding(2)]]],
      complete: true,
      stats: STATS
    });
    await expect(first).resolves.toEqual(found(finding(2)));
    expect(analyzer.stats).toEqual(STATS);

    const second = analyzer.analyze(cells('a = 1', 'b = 20', 'c = 3'), {});
    await settle();
    request = worker.requests('analyze')[1];
    expect(request.order).toEqual(['c0', 'c1', 'c2']);
    expect(request.changed).toEqual([
      { key: 'c1', id: 'c1', kind: 'code', source: 'b = 20' }
    ]);
    worker.reply({
      type: 'analyzed',
      seq: request.seq,
      cells: [],
      complete: true,
      stats: STATS
    });
    await expect(second).resolves.toEqual(new Map());
  });

  it('answers "the same again" with the previous map itself', async () => {
    const { worker, analyzer } = await setup();
    const first = analyzer.analyze(cells('a'), {});
    await settle();
    let request = worker.requests('analyze')[0];
    expect(request.known).toBe(false);
    worker.reply({
      type: 'analyzed',
      seq: request.seq,
      cells: [['c0', [finding(0)]]],
      complete: true,
      stats: STATS
    });
    const findings = await first;
    const second = analyzer.analyze(cells('ab'), {});
    await settle();
    request = worker.requests('analyze')[1];
    expect(request.known).toBe(true);
    worker.reply({
      type: 'analyzed',
      seq: request.seq,
      cells: [],
      complete: false,
      stats: STATS
    });
    expect(await second).toBe(findings);
  });

  it('merges the cells whose findings changed into the notebook findings', async () => {
    const { worker, analyzer } = await setup();
    const reply = (
      cellsFound: [string, ICellFinding[]][],
      complete: boolean
    ) => {
      const requests = worker.requests('analyze');
      worker.reply({
        type: 'analyzed',
        seq: requests[requests.length - 1].seq,
        cells: cellsFound,
        complete,
        stats: STATS
      });
    };
    const first = analyzer.analyze(cells('a', 'b', 'c'), {});
    await settle();
    reply(
      [
        ['c0', [finding(0)]],
        ['c2', [finding(2)]]
      ],
      true
    );
    const before = await first;
    expect(before).toEqual(found(finding(0), finding(2)));

    // only the last cell's findings changed: the first cell's stay as they were
    const second = analyzer.analyze(cells('a', 'b', 'cc'), {});
    await settle();
    const changed = { ...finding(2), message: 'changed' };
    reply([['c2', [changed]]], false);
    const after = await second;
    expect(after).toEqual(found(finding(0), changed));
    expect([...after.keys()]).toEqual(['c0', 'c2']); // in notebook order
    expect(after.get('c0')).toBe(before.get('c0'));

    // a cell that has no findings any more, and a cell that is gone
    const third = analyzer.analyze(cells('a', 'b'), {});
    await settle();
    reply([['c0', []]], false);
    await expect(third).resolves.toEqual(new Map());

    // a complete answer replaces everything the main thread held
    const fourth = analyzer.analyze(cells('a', 'bb'), {});
    await settle();
    reply([['c1', [finding(1)]]], true);
    await expect(fourth).resolves.toEqual(found(finding(1)));
  });

  it('keeps one request in flight and sends only the latest state after it', async () => {
    const { worker, analyzer } = await setup();
    const results = [
      analyzer.analyze(cells('x = 1'), {}),
      analyzer.analyze(cells('x = 12'), {}),
      analyzer.analyze(cells('x = 123'), {}),
      analyzer.analyze(cells('x = 1234'), {})
    ];
    await settle();
    expect(worker.requests('analyze')).toHaveLength(1);
    const [first] = worker.requests('analyze');
    worker.reply({
      type: 'analyzed',
      seq: first.seq,
      cells: [],
      complete: true,
      stats: STATS
    });
    await settle();
    const requests = worker.requests('analyze');
    expect(requests).toHaveLength(2);
    expect(requests[1].changed.map(c => c.source)).toEqual(['x = 1234']);
    worker.reply({
      type: 'analyzed',
      seq: requests[1].seq,
      cells: [['c0', [finding(0)]]],
      complete: true,
      stats: STATS
    });
    // the first call gets the first run; the others the run of the latest state
    expect(await Promise.all(results)).toEqual([
      new Map(),
      found(finding(0)),
      found(finding(0)),
      found(finding(0))
    ]);
  });

  it('sends kernel facts only when they change', async () => {
    const { worker, analyzer } = await setup();
    const live: ILiveFacts = { sizes: new Map([['df', 1e9]]) };
    const run = async (options: { live: ILiveFacts | null }) => {
      const done = analyzer.analyze(cells('df'), options);
      await settle();
      const request = worker.requests('analyze').pop()!;
      worker.reply({
        type: 'analyzed',
        seq: request.seq,
        cells: [],
        complete: true,
        stats: STATS
      });
      await done;
      return request.options;
    };
    expect((await run({ live })).live).toEqual(live);
    expect('live' in (await run({ live }))).toBe(false);
    expect((await run({ live: null })).live).toBeNull();
  });

  it('resends every cell when the worker lost them', async () => {
    const { worker, analyzer } = await setup();
    const done = analyzer.analyze(cells('a', 'b'), {});
    await settle();
    let [request] = worker.requests('analyze');
    worker.reply({
      type: 'analyzed',
      seq: request.seq,
      cells: [],
      complete: true,
      stats: STATS
    });
    await done;
    const again = analyzer.analyze(cells('a', 'b!'), {});
    await settle();
    request = worker.requests('analyze')[1];
    expect(request.changed).toHaveLength(1);
    worker.reply({
      type: 'failed',
      seq: request.seq,
      error: 'no cell a',
      resync: true
    });
    await settle();
    request = worker.requests('analyze')[2];
    expect(request.changed.map(c => c.source)).toEqual(['a', 'b!']);
    worker.reply({
      type: 'analyzed',
      seq: request.seq,
      cells: [],
      complete: true,
      stats: STATS
    });
    await expect(again).resolves.toEqual(new Map());
  });

  it('fails the pending run when the worker crashes, and starts over on a new one', async () => {
    const workers = [new RecordingWorker(), new RecordingWorker()];
    let client: WorkerClient | null = null;
    const connect = async () => {
      if (!client || client.isDead) {
        const worker = workers[client ? 1 : 0];
        client = new WorkerClient(worker, ASSETS);
        worker.ready();
      }
      return client;
    };
    const analyzer = new WorkerAnalyzer('nb', connect);
    const first = analyzer.analyze(cells('a', 'b'), {});
    await settle();
    workers[0].crash('RuntimeError: unreachable');
    await expect(first).rejects.toThrow(/stopped: RuntimeError: unreachable/);
    expect(workers[0].terminated).toBe(true);

    const second = analyzer.analyze(cells('a', 'b'), {});
    await settle();
    const [request] = workers[1].requests('analyze');
    expect(request.changed).toHaveLength(2);
    workers[1].reply({
      type: 'analyzed',
      seq: request.seq,
      cells: [],
      complete: true,
      stats: STATS
    });
    await expect(second).resolves.toEqual(new Map());
  });

  it('disposes its analyzer in the worker and refuses further runs', async () => {
    const { worker, analyzer } = await setup();
    const done = analyzer.analyze(cells('a'), {});
    await settle();
    const [request] = worker.requests('analyze');
    const queued = analyzer.analyze(cells('ab'), {});
    analyzer.dispose();
    analyzer.dispose();
    await expect(queued).rejects.toThrow(/disposed/);
    expect(worker.requests('dispose')).toEqual([
      { type: 'dispose', seq: request.seq + 1, notebook: 'nb' }
    ]);
    worker.reply({
      type: 'analyzed',
      seq: request.seq,
      cells: [],
      complete: true,
      stats: STATS
    });
    await expect(done).resolves.toEqual(new Map());
    await expect(analyzer.analyze(cells('a'), {})).rejects.toThrow(/disposed/);
  });
});

/**
 * The worker's handler with the real parser (wasm loaded from bytes), and
 * the whole path main thread → worker → main thread in one process.
 */
import { analyzeCells, ICellInput } from '../../analyzer/engine/engine';
import { createPythonParser } from '../../analyzer/syntax/parser';
import { ALL_RULES } from '../../analyzer/rules';
import { WorkerClient } from '../client';
import { AnalysisHost } from '../host';
import { WORKER_PROTOCOL_VERSION, WorkerReply } from '../protocol';
import { WorkerAnalyzer } from '../worker-analyzer';
import { byCellKey, InMemoryWorker, nodeAssets } from './workers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bench = require('../../../bench/analyzer/notebook') as {
  makeCells(count: number): ICellInput[];
};

const ASSETS = nodeAssets();

async function cold(cells: ICellInput[]) {
  return analyzeCells(await createPythonParser(ASSETS), cells, {
    rules: ALL_RULES
  });
}

describe('AnalysisHost', () => {
  it('answers init, analyze and dispose in order', async () => {
    const replies: WorkerReply[] = [];
    const host = new AnalysisHost(reply => replies.push(reply));
    const cells: ICellInput[] = [
      { id: 'a', kind: 'code', source: 'f = open("x.txt")' }
    ];
    // not awaited in between: requests queue behind the grammar's loading
    const done = [
      host.handle({
        type: 'init',
        seq: 1,
        protocol: WORKER_PROTOCOL_VERSION,
        assets: ASSETS
      }),
      host.handle({
        type: 'analyze',
        seq: 2,
        notebook: 'nb',
        order: ['a'],
        changed: [{ key: 'a', ...cells[0] }],
        options: {},
        known: false
      }),
      host.handle({ type: 'dispose', seq: 3, notebook: 'nb' }),
      host.handle({
        type: 'analyze',
        seq: 4,
        notebook: 'nb',
        order: ['a'],
        changed: [],
        options: {},
        known: true
      })
    ];
    await Promise.all(done);
    expect(replies.map(r => r.type)).toEqual(['ready', 'analyzed', 'failed']);
    const analyzed = replies[1] as Extract<WorkerReply, { type: 'analyzed' }>;
    expect(analyzed.complete).toBe(true);
    expect(analyzed.cells).toEqual([...byCellKey(await cold(cells), ['a'])]);
    expect(analyzed.stats.parsed).toBe(1);
    // the disposed notebook's cells are gone: the main thread must resend
    expect(replies[2]).toMatchObject({ seq: 4, resync: true });
  });

  it('answers only the cells whose findings changed since the reply the main thread holds', async () => {
    const replies: WorkerReply[] = [];
    const host = new AnalysisHost(reply => replies.push(reply));
    await host.handle({
      type: 'init',
      seq: 1,
      protocol: WORKER_PROTOCOL_VERSION,
      assets: ASSETS
    });
    const analyze = (seq: number, sources: string[], known: boolean) =>
      host.handle({
        type: 'analyze',
        seq,
        notebook: 'nb',
        order: sources.map((_, i) => `c${i}`),
        changed: sources.map((source, i) => ({
          key: `c${i}`,
          id: `c${i}`,
          kind: 'code',
          source
        })),
        options: {},
        known
      });
    await analyze(2, ['f = open("x")', 'g = open("y")'], false);
    // equal findings after an edit (rebuilt objects, same JSON)
    await analyze(3, ['f = open("x")\n', 'g = open("y")'], true);
    await analyze(4, ['f = open("x")\n', 'g = 1'], true);
    await analyze(5, ['f = open("x")\n', 'g = 1'], false);
    // every source shifts down one cell: the finding moves to another key
    await analyze(6, ['import os', 'f = open("x")\n', 'g = 1'], true);
    const answers = replies
      .filter(
        (r): r is Extract<WorkerReply, { type: 'analyzed' }> =>
          r.type === 'analyzed'
      )
      .map(r => ({
        complete: r.complete,
        cells: r.cells.map(([key, findings]) => [
          key,
          findings.map(f => `${f.rule}@${f.cell}`)
        ])
      }));
    expect(answers).toEqual([
      {
        complete: true,
        cells: [
          ['c0', ['ML601@0']],
          ['c1', ['ML601@1']]
        ]
      },
      { complete: false, cells: [] },
      { complete: false, cells: [['c1', []]] },
      // the main thread did not hold them
      { complete: true, cells: [['c0', ['ML601@0']]] },
      {
        complete: false,
        cells: [
          ['c0', []],
          ['c1', ['ML601@1']]
        ]
      }
    ]);
  });

  it('refuses another protocol version', async () => {
    const replies: WorkerReply[] = [];
    const host = new AnalysisHost(reply => replies.push(reply));
    await host.handle({ type: 'init', seq: 1, protocol: 99, assets: ASSETS });
    expect(replies).toEqual([
      expect.objectContaining({
        type: 'failed',
        error: expect.stringMatching(/protocol 3, not 99/)
      })
    ]);
  });
});

describe('analysis through the worker protocol', () => {
  it('finds what a cold analysis finds while a notebook is edited', async () => {
    const worker = new InMemoryWorker();
    const client = new WorkerClient(worker, ASSETS);
    await client.ready;
    const analyzer = new WorkerAnalyzer('bench', async () => client);
    const cells = bench
      .makeCells(120)
      .map((cell, i) => ({ ...cell, id: `cell-${i}` }));
    const live = { sizes: new Map([['raw_0', 2 ** 31]]) };
    const edits: ((cells: ICellInput[]) => void)[] = [
      () => undefined,
      c => (c[5] = { ...c[5], source: c[5].source + '\ntotal = ""' }),
      c =>
        c.splice(2, 0, {
          id: 'new',
          kind: 'code',
          source: 'big = [0] * 10**9'
        }),
      c => c.splice(40, 1),
      c => c.unshift(c.splice(30, 1)[0]),
      c => (c[7] = { ...c[7], kind: 'markdown' })
    ];
    for (const edit of edits) {
      edit(cells);
      const findings = await analyzer.analyze(cells, { live, activeCell: 3 });
      const expected = analyzeCells(await createPythonParser(ASSETS), cells, {
        rules: ALL_RULES,
        live,
        activeCell: 3
      });
      expect(expected.length).toBeGreaterThan(0);
      expect(findings).toEqual(
        byCellKey(
          expected,
          cells.map(cell => cell.id!)
        )
      );
    }
    const analyzeRequests = worker.sent.filter(m => m.type === 'analyze');
    // after the first run, each edit sends at most the one changed cell
    expect(
      analyzeRequests[0].type === 'analyze' && analyzeRequests[0].changed
    ).toHaveLength(120);
    for (const request of analyzeRequests.slice(1)) {
      expect(
        request.type === 'analyze' && request.changed.length
      ).toBeLessThanOrEqual(1);
    }
    expect(analyzer.stats.parsed).toBe(0); // a markdown switch parses nothing
    analyzer.dispose();
    client.terminate();
  }, 60_000);
});

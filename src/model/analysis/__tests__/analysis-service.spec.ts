import { AnalysisService, LocalAnalyzer } from '../analysis-service';
import { WorkerAnalyzer } from '../../../worker/worker-analyzer';
import {
  InMemoryWorker,
  nodeAssets,
  RecordingWorker
} from '../../../worker/__tests__/workers';

const ASSETS = nodeAssets();
const CELLS = [{ id: 'a', kind: 'code' as const, source: 'f = open("x")' }];

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('AnalysisService', () => {
  it('analyzes in the worker when it starts', async () => {
    const service = new AnalysisService({
      assets: ASSETS,
      spawn: () => new InMemoryWorker()
    });
    const analyzer = await service.createAnalyzer();
    expect(analyzer).toBeInstanceOf(WorkerAnalyzer);
    expect(service.mode).toBe('worker');
    const findings = await analyzer.analyze(CELLS, {});
    expect(findings.get('a')?.map(f => [f.rule, f.cellId])).toEqual([
      ['ML601', 'a']
    ]);
    analyzer.dispose();
    service.dispose();
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    [
      'workers cannot be created',
      () => {
        throw new Error('CSP: worker-src');
      }
    ],
    [
      'the worker cannot load the parser',
      () => {
        const worker = new RecordingWorker();
        setTimeout(() =>
          worker.reply({
            type: 'failed',
            seq: 1,
            error: 'no wasm',
            resync: false
          })
        );
        return worker;
      }
    ]
  ])(
    'falls back to the main thread with one warning when %s',
    async (_, spawn) => {
      const service = new AnalysisService({ assets: ASSETS, spawn });
      const analyzers = await Promise.all([
        service.createAnalyzer(),
        service.createAnalyzer()
      ]);
      expect(analyzers[0]).toBeInstanceOf(LocalAnalyzer);
      expect(analyzers[1]).toBeInstanceOf(LocalAnalyzer);
      expect(service.mode).toBe('main-thread');
      expect(warn).toHaveBeenCalledTimes(1);
      const findings = await analyzers[0].analyze(CELLS, {});
      expect(findings.get('a')?.map(f => [f.rule, f.cellId])).toEqual([
        ['ML601', 'a']
      ]);
      expect(analyzers[0].stats.parsed).toBe(1);
      // the same map again while nothing changed, as from the worker
      expect(await analyzers[0].analyze(CELLS, {})).toBe(findings);
    }
  );

  it('replaces a crashed worker a few times, then reports why it stopped', async () => {
    const workers: RecordingWorker[] = [];
    const service = new AnalysisService({
      assets: ASSETS,
      spawn: () => {
        const worker = new RecordingWorker();
        workers.push(worker);
        setTimeout(() => worker.ready());
        return worker;
      }
    });
    const analyzer = await service.createAnalyzer();
    for (let crash = 0; crash < 4; crash++) {
      const run = analyzer.analyze(CELLS, {});
      await new Promise(resolve => setTimeout(resolve, 5));
      workers[workers.length - 1].crash('out of memory');
      await expect(run).rejects.toThrow(/out of memory/);
    }
    expect(workers).toHaveLength(4);
    await expect(analyzer.analyze(CELLS, {})).rejects.toThrow(
      /restarted 3 times; reload the page/
    );
  });
});

import { PromiseDelegate } from '@lumino/coreutils';
import { Coalescer } from '../coalesce';

describe('Coalescer', () => {
  it('never overlaps runs and folds calls during a run into one more run', async () => {
    const gates: PromiseDelegate<void>[] = [];
    let active = 0;
    let maxActive = 0;
    const coalescer = new Coalescer(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      const gate = new PromiseDelegate<void>();
      gates.push(gate);
      await gate.promise;
      active--;
    });
    const first = coalescer.run();
    const second = coalescer.run();
    const third = coalescer.run();
    expect(gates).toHaveLength(1);
    gates[0].resolve();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(gates).toHaveLength(2);
    gates[1].resolve();
    await Promise.all([first, second, third]);
    expect(gates).toHaveLength(2);
    expect(maxActive).toBe(1);
  });

  it('skips the queued run once stopped', async () => {
    let runs = 0;
    let stopped = false;
    const gate = new PromiseDelegate<void>();
    const coalescer = new Coalescer(
      async () => {
        runs++;
        await gate.promise;
      },
      () => stopped
    );
    const first = coalescer.run();
    void coalescer.run();
    stopped = true;
    gate.resolve();
    await first;
    expect(runs).toBe(1);
  });
});

/**
 * @jest-environment jsdom
 *
 * The status bar item: resident memory against the kernel's limit, marked
 * from 80% and 90% of it.
 */
import type { IMemoryLimit } from '../../../tokens';
import { fakeMemlens, snapshot } from '../../__tests__/fake-memlens';
import { MemoryStatus } from '../statusbar';

const GiB = 2 ** 30;

function status(rss: number | null, limit: IMemoryLimit | null) {
  const fake = fakeMemlens(snapshot([]));
  Object.assign(fake.live, { rssBytes: rss, limit });
  const item = new MemoryStatus(() => undefined);
  item.model = fake.memlens;
  return item.node;
}

describe('MemoryStatus', () => {
  it('shows memory against the limit, with where the limit comes from', () => {
    const node = status(3 * GiB, { bytes: 24 * GiB, source: 'cgroup' });
    expect(node.textContent).toBe('Mem: 3.0 GiB / 24.0 GiB');
    expect(node.dataset.memlensLevel).toBe('ok');
    expect(node.title).toContain('the container (cgroup)');
    expect(node.title).toContain('(13%)');
  });

  it('marks 80% and 90% of the limit', () => {
    const limit: IMemoryLimit = { bytes: 10 * GiB, source: 'setting' };
    expect(status(8 * GiB, limit).dataset.memlensLevel).toBe('warning');
    expect(status(9.5 * GiB, limit).dataset.memlensLevel).toBe('error');
  });

  it('shows memory alone when no limit is known', () => {
    const node = status(GiB, null);
    expect(node.textContent).toBe('Mem: 1.0 GiB');
    expect(node.dataset.memlensLevel).toBe('ok');
    expect(status(null, null).textContent).toBe('Mem: —');
  });
});

import { measure } from '../user-timing';

describe('measure (User Timing)', () => {
  const count = (name: string) => performance.getEntriesByName(name).length;

  it('keeps only the latest measure of a name by default', () => {
    for (let i = 0; i < 5; i++) {
      measure('memlens:test-latest', performance.now());
    }
    expect(count('memlens:test-latest')).toBe(1);
  });

  it('bounds a longer history instead of growing for the page lifetime', () => {
    const seen: number[] = [];
    for (let i = 0; i < 25; i++) {
      measure('memlens:test-history', performance.now(), undefined, 10);
      seen.push(count('memlens:test-history'));
    }
    expect(Math.max(...seen)).toBe(10);
    expect(seen.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seen[10]).toBe(1);
  });

  it('records the given start and end', () => {
    measure('memlens:test-span', 5, 25);
    const [entry] = performance.getEntriesByName('memlens:test-span');
    expect(entry.startTime).toBe(5);
    expect(entry.duration).toBe(20);
  });
});

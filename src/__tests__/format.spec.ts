import { formatBytes, formatDelta } from '../common/bytes';
import { formatShape } from '../ui/format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [1024 * 1024 - 1, '1.0 MiB'],
    [200 * 2 ** 20, '200.0 MiB'],
    [12.34 * 2 ** 30, '12.3 GiB']
  ])('formats %d as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('marks estimates and unknowns', () => {
    expect(formatBytes(2048, true)).toBe('≈2.0 KiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });

  it('formats deltas and shapes', () => {
    expect(formatDelta(1024)).toBe('+1.0 KiB');
    expect(formatDelta(-1024)).toBe('-1.0 KiB');
    expect(formatDelta(0)).toBe('+0 B');
    expect(formatShape([1000, 5], 1000)).toBe('(1000, 5)');
    expect(formatShape(null, 3)).toBe('len 3');
    expect(formatShape(null, null)).toBe('');
  });
});

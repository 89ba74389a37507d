import { formatBytes, parseBytes } from '../bytes';

describe('parseBytes', () => {
  it('reads bytes and decimal or binary units, case-insensitively', () => {
    expect(parseBytes('1048576')).toBe(1048576);
    expect(parseBytes('100MB')).toBe(100_000_000);
    expect(parseBytes('100 mb')).toBe(100_000_000);
    expect(parseBytes('1.5GB')).toBe(1_500_000_000);
    expect(parseBytes('2KB')).toBe(2000);
    expect(parseBytes('512MiB')).toBe(512 * 2 ** 20);
    expect(parseBytes('1.5 GiB')).toBe(1.5 * 2 ** 30);
    expect(parseBytes('4kib')).toBe(4096);
    expect(parseBytes('10B')).toBe(10);
  });

  it('refuses what is not a positive size', () => {
    for (const text of [
      '',
      'MB',
      '-1MB',
      '0',
      '1 parsec',
      '1e6',
      '1,5GB',
      '1 2MB'
    ]) {
      expect(parseBytes(text)).toBeNull();
    }
  });

  it('round-trips with the formatter', () => {
    expect(formatBytes(parseBytes('190.7 MiB'))).toBe('190.7 MiB');
  });
});

// Sizes as the settings take them (memory limit, guard level).
describe('parseBytes in settings', () => {
  it.each([
    ['1500000000', 1_500_000_000],
    ['8 GiB', 8 * 2 ** 30],
    ['8gib', 8 * 2 ** 30],
    ['1.5 GB', 1_500_000_000],
    ['512MiB', 512 * 2 ** 20],
    ['20000 MB', 20_000_000_000],
    ['  64 KiB ', 65536],
    ['.5 KB', 500],
    ['3 B', 3]
  ])('reads %s', (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it.each(['', 'GiB', '8 XB', '-1 GB', '1e9', '8 GiB of RAM', 'NaN'])(
    'refuses %j',
    text => {
      expect(parseBytes(text)).toBeNull();
    }
  );
});

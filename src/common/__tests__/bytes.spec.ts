import { parseBytes } from '../bytes';

describe('parseBytes', () => {
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

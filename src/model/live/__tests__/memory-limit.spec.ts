import {
  interruptAt,
  limitOf,
  parseGuardLevel,
  usageLevel
} from '../memory-limit';

const GiB = 2 ** 30;

describe('the memory limit', () => {
  it('is read from any message that carries one', () => {
    expect(limitOf({ limit_bytes: 24 * GiB, limit_source: 'cgroup' })).toEqual({
      bytes: 24 * GiB,
      source: 'cgroup'
    });
    expect(limitOf({ limit_bytes: 8 * GiB })).toEqual({
      bytes: 8 * GiB,
      source: null
    });
    // a 1.1 helper, or a helper that found none
    expect(limitOf({})).toBeNull();
    expect(limitOf({ limit_bytes: null, limit_source: null })).toBeNull();
    expect(limitOf(null)).toBeNull();
  });

  it('warns from 80% and errs from 90% of it', () => {
    const limit = { bytes: 100, source: 'setting' as const };
    expect(usageLevel(79, limit)).toBe('ok');
    expect(usageLevel(80, limit)).toBe('warning');
    expect(usageLevel(89, limit)).toBe('warning');
    expect(usageLevel(90, limit)).toBe('error');
    expect(usageLevel(130, limit)).toBe('error');
    expect(usageLevel(null, limit)).toBe('ok');
    expect(usageLevel(95, null)).toBe('ok');
  });
});

describe('the guard level', () => {
  it('is a percentage of the limit or a size', () => {
    expect(parseGuardLevel('90%')).toEqual({ fraction: 0.9 });
    expect(parseGuardLevel(' 75.5 % ')).toEqual({ fraction: 0.755 });
    expect(parseGuardLevel('20 GiB')).toEqual({ bytes: 20 * GiB });
    expect(parseGuardLevel('1500000000')).toEqual({ bytes: 1_500_000_000 });
  });

  it('refuses what is neither', () => {
    for (const text of ['', '0%', '150%', 'lots', '0', '90 %%']) {
      expect(parseGuardLevel(text)).toBeNull();
    }
  });

  it('turns into the resident size that interrupts', () => {
    expect(interruptAt({ fraction: 0.9 }, 10 * GiB)).toBe(9 * GiB);
    expect(interruptAt({ bytes: 5 * GiB }, null)).toBe(5 * GiB);
    expect(interruptAt({ fraction: 0.9 }, null)).toBeNull();
  });
});

import type { Postmortem } from '../../../kernel/protocol';
import { guardText, largestText, postmortemText } from '../text';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

function postmortem(overrides: Partial<Postmortem> = {}): Postmortem {
  return {
    time: 1765152000,
    rss_bytes: 23.1 * GiB,
    limit_bytes: 24 * GiB,
    limit_source: 'cgroup',
    execution_count: 12,
    cell_id: 'abc',
    running: true,
    top: [
      { name: 'x', bytes: 2 * GiB },
      { name: 'df', bytes: 12.3 * GiB },
      { name: 'y', bytes: 1 * GiB },
      { name: 'z', bytes: 1 * MiB }
    ],
    likely_oom: true,
    ...overrides
  };
}

describe('postmortemText', () => {
  it('says where the kernel stopped, the largest first, and why', () => {
    expect(postmortemText(postmortem())).toBe(
      'The kernel stopped at 23.1 GiB of its 24.0 GiB limit while running [12]; largest: df 12.3 GiB, x 2.0 GiB, y 1.0 GiB, … — likely out of memory.'
    );
  });

  it('names fewer variables for a notification, within 140 characters', () => {
    const text = postmortemText(postmortem(), 1);
    expect(text).toBe(
      'The kernel stopped at 23.1 GiB of its 24.0 GiB limit while running [12]; largest: df 12.3 GiB, … — likely out of memory.'
    );
    expect(`Untitled.ipynb: ${text}`.length).toBeLessThanOrEqual(140);
  });

  it('does not call it out of memory below 90% of the limit', () => {
    const text = postmortemText(
      postmortem({ rss_bytes: 18 * GiB, likely_oom: false, top: [] })
    );
    expect(text).toBe(
      'The kernel stopped at 18.0 GiB of its 24.0 GiB limit while running [12].'
    );
  });

  it('says "after" when no cell was running and leaves out what it does not know', () => {
    expect(
      postmortemText(
        postmortem({
          running: false,
          limit_bytes: null,
          limit_source: null,
          top: [{ name: 'a', bytes: 1024 }],
          likely_oom: false
        })
      )
    ).toBe(
      'The kernel stopped at 23.1 GiB after running [12]; largest: a 1.0 KiB.'
    );
    expect(postmortemText(postmortem({ execution_count: null, top: [] }))).toBe(
      'The kernel stopped at 23.1 GiB of its 24.0 GiB limit — likely out of memory.'
    );
  });
});

describe('guardText', () => {
  it('says which cell was interrupted, at what level, and the largest variables', () => {
    expect(
      guardText({
        rss_bytes: 2.1 * GiB,
        interrupt_at_bytes: 2 * GiB,
        limit_bytes: 4 * GiB,
        execution_count: 7,
        cell_id: 'c',
        top: [
          { name: 'small', bytes: 10 * MiB },
          { name: 'big', bytes: 1.9 * GiB }
        ]
      })
    ).toBe(
      'memlens interrupted [7] at 2.1 GiB (guard level 2.0 GiB); largest: big 1.9 GiB, small 10.0 MiB. The kernel and its variables are still there.'
    );
  });

  it('reads without a limit, a count or variables', () => {
    expect(
      guardText({
        rss_bytes: 3 * GiB,
        interrupt_at_bytes: 2 * GiB,
        limit_bytes: null,
        execution_count: null,
        cell_id: null,
        top: []
      })
    ).toBe(
      'memlens interrupted the running cell at 3.0 GiB (guard level 2.0 GiB). The kernel and its variables are still there.'
    );
  });

  it('says when the cell ended before the interrupt reached it', () => {
    expect(
      guardText({
        rss_bytes: 3 * GiB,
        interrupt_at_bytes: 2 * GiB,
        limit_bytes: null,
        execution_count: 4,
        cell_id: null,
        interrupted: false,
        top: [{ name: 'a', bytes: 2 * GiB }]
      })
    ).toBe(
      '[4] passed the guard level 2.0 GiB (3.0 GiB) and ended before memlens could interrupt it; largest: a 2.0 GiB. The kernel and its variables are still there.'
    );
  });

  it('lists at most three names', () => {
    expect(
      largestText([
        { name: 'a', bytes: 1 },
        { name: 'b', bytes: 2 },
        { name: 'c', bytes: 3 }
      ])
    ).toBe('c 3 B, b 2 B, a 1 B');
  });
});

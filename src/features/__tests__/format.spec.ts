import { formatBytes, formatDelta } from '../../common/bytes';
import { describeAction, describeFree, formatShape } from '../format';

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

describe('describeFree', () => {
  const MiB = 2 ** 20;

  it('explains why RSS did not drop and offers Release to OS', () => {
    const { text, offerRelease } = describeFree('df', {
      freed_bytes: 191 * MiB,
      still_held_by: [],
      cleared: ['Out[4]'],
      rss_before: 282 * MiB,
      rss_after: 282 * MiB - 4096
    });
    expect(text).toContain('Freed 191.0 MiB (del df; also cleared Out[4]).');
    expect(text).toContain('allocator keeps freed pages');
    expect(text).toContain('Release to OS');
    expect(offerRelease).toBe(true);
  });

  it('says what stays with the allocator when the helper explains (1.2)', () => {
    const reply = {
      freed_bytes: 191 * MiB,
      still_held_by: [],
      rss_before: 400 * MiB,
      rss_after: 359 * MiB
    };
    const kept = describeFree('df', reply, 150 * MiB);
    expect(kept.text).toBe(
      'Freed 191.0 MiB of objects (del df); 150.0 MiB stays with the allocator — Release to OS. RSS 400.0 MiB → 359.0 MiB.'
    );
    expect(kept.offerRelease).toBe(true);
    // the allocator gave (nearly) everything back: no button, whatever RSS says
    const returned = describeFree('df', reply, 2 * MiB);
    expect(returned.text).toBe(
      'Freed 191.0 MiB (del df). RSS 400.0 MiB → 359.0 MiB.'
    );
    expect(returned.offerRelease).toBe(false);
  });

  it('reports a real drop plainly', () => {
    const { text, offerRelease } = describeFree('arr', {
      freed_bytes: 100 * MiB,
      still_held_by: [],
      rss_before: 400 * MiB,
      rss_after: 300 * MiB
    });
    expect(text).toBe('Freed 100.0 MiB (del arr). RSS 400.0 MiB → 300.0 MiB.');
    expect(offerRelease).toBe(false);
  });

  it('says when nothing was freed because another holder remains', () => {
    const { text } = describeFree('a', {
      freed_bytes: 0,
      still_held_by: ['b']
    });
    expect(text).toBe(
      'Deleted a, but nothing was freed yet: the object is still held by b.'
    );
  });
});

describe('describeAction', () => {
  const MiB = 2 ** 20;

  it('says what a collection did, with resident memory before and after', () => {
    expect(
      describeAction('collect', {
        collected: 12,
        per_generation: [0, 0, 12],
        uncollectable: 1,
        rss_before: 300 * MiB,
        rss_after: 200 * MiB,
        freed_bytes: 100 * MiB,
        elapsed_ms: 3
      })
    ).toBe(
      'Collected 12 objects (1 uncollectable): freed 100.0 MiB of objects. RSS 300.0 MiB → 200.0 MiB (-100.0 MiB).'
    );
  });

  it('says what stays with the allocator after a collection (protocol 1.2)', () => {
    const result = {
      collected: 4000,
      per_generation: [0, 0, 4000],
      uncollectable: 0,
      rss_before: 500 * MiB,
      rss_after: 460 * MiB,
      freed_bytes: 191 * MiB,
      elapsed_ms: 30
    };
    expect(describeAction('collect', result, 150 * MiB)).toBe(
      'Collected 4000 objects: freed 191.0 MiB of objects; 150.0 MiB stays with the allocator — Release to OS. RSS 500.0 MiB → 460.0 MiB (-40.0 MiB).'
    );
    // a few MiB of free pools are not worth a button
    expect(describeAction('collect', result, MiB)).toBe(
      'Collected 4000 objects: freed 191.0 MiB of objects. RSS 500.0 MiB → 460.0 MiB (-40.0 MiB).'
    );
    expect(
      describeAction(
        'clear_output_cache',
        { cleared: 2, rss_before: null, rss_after: null },
        300 * MiB
      )
    ).toBe(
      'Cleared the output cache (2 results); 300.0 MiB stays with the allocator — Release to OS.'
    );
    // Release to OS itself never offers itself again
    expect(
      describeAction(
        'release_to_os',
        {
          trimmed: true,
          rss_before: null,
          rss_after: null,
          released_bytes: 0,
          error: null
        },
        300 * MiB
      )
    ).toBe('Released 0 B to the OS.');
  });

  it('reports the helper’s refusal instead of a success', () => {
    expect(
      describeAction('clear_output_cache', {
        cleared: 0,
        rss_before: null,
        rss_after: null,
        error: 'no IPython output cache'
      })
    ).toBe('Nothing done: no IPython output cache.');
    expect(
      describeAction('release_to_os', {
        trimmed: false,
        rss_before: null,
        rss_after: null,
        released_bytes: null,
        error: 'malloc_trim is only available on Linux/glibc'
      })
    ).toBe('Nothing done: malloc_trim is only available on Linux/glibc.');
  });

  it('covers every kernel-wide action', () => {
    expect(describeAction('close_figures', { closed: 3 })).toBe(
      'Closed 3 figures.'
    );
    expect(
      describeAction('clear_last_error', {
        cleared: false,
        rss_before: null,
        rss_after: null
      })
    ).toBe('No error was kept.');
    expect(
      describeAction('release_to_os', {
        trimmed: true,
        rss_before: 2 * MiB,
        rss_after: MiB,
        released_bytes: MiB,
        error: null
      })
    ).toBe('Released 1.0 MiB to the OS. RSS 2.0 MiB → 1.0 MiB (-1.0 MiB).');
  });
});

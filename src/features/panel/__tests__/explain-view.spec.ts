/**
 * @jest-environment jsdom
 *
 * The memory explanation in the Kernel section: one stacked bar, a line
 * per part (`[data-memlens-part="<kind>"]`, CONTRACTS.md §4) with its size,
 * its largest names or holders and its fix, and the post-mortem message.
 */
jest.mock('@jupyterlab/apputils', () => ({
  showDialog: jest.fn(),
  Dialog: { cancelButton: jest.fn(), warnButton: jest.fn() },
  Notification: { success: jest.fn(), error: jest.fn(), info: jest.fn() }
}));

import type { Explanation } from '../../../kernel/protocol';
import { fakeMemlens, snapshot } from '../../__tests__/fake-memlens';
import { fixesOf, topText } from '../explain-view';
import { KernelSection } from '../kernel-section';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

function explanation(overrides: Partial<Explanation> = {}): Explanation {
  return {
    rss_bytes: 3000 * MiB,
    limit_bytes: 24 * GiB,
    limit_source: 'cgroup',
    complete: true,
    elapsed_ms: 3,
    parts: [
      {
        kind: 'variables',
        bytes: 2000 * MiB,
        top: [
          { name: 'df', bytes: 1500 * MiB },
          { name: '<img src=x onerror=alert(1)>', bytes: 400 * MiB }
        ]
      },
      {
        kind: 'hidden',
        bytes: 300 * MiB,
        top: [
          {
            holder: 'Out[7]',
            type: 'numpy.ndarray',
            bytes: 300 * MiB,
            fix: 'clear_output_cache'
          }
        ]
      },
      { kind: 'baseline', bytes: 250 * MiB },
      { kind: 'allocator', bytes: 300 * MiB, fix: 'release_to_os' },
      { kind: 'unattributed', bytes: 150 * MiB }
    ],
    ...overrides
  };
}

function render(shown: Explanation | null) {
  const fake = fakeMemlens(snapshot([]));
  fake.live.explanation = shown;
  const section = new KernelSection();
  section.model = fake.memlens;
  const part = (kind: string) =>
    section.node.querySelector<HTMLElement>(`[data-memlens-part="${kind}"]`);
  return { fake, section, part };
}

describe('the memory explanation', () => {
  it('draws one segment per part, sized by its share', () => {
    const { section } = render(explanation());
    const segments = Array.from(
      section.node.querySelectorAll<HTMLElement>('.jp-memlens-explain-segment')
    );
    expect(segments.map(s => s.dataset.memlensKind)).toEqual([
      'variables',
      'hidden',
      'baseline',
      'allocator',
      'unattributed'
    ]);
    const shares = segments.map(s => Number(s.style.flexGrow));
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(shares[0]).toBeCloseTo(2000 / 3000, 5);
    expect(
      section.node
        .querySelector('.jp-memlens-explain-bar')!
        .getAttribute('aria-label')
    ).toContain('Variables 2.0 GiB');
  });

  it('gives each part a line with its human size and largest names', () => {
    const { part, section } = render(explanation());
    expect(part('variables')!.textContent).toContain('2.0 GiB');
    expect(
      part('variables')!.querySelector('.jp-memlens-part-top')!.textContent
    ).toBe('df 1.5 GiB, <img src=x onerror=alert(1)> 400.0 MiB');
    // kernel text stays text
    expect(section.node.querySelector('img')).toBeNull();
    expect(part('hidden')!.textContent).toContain('Out[7] 300.0 MiB');
    expect(part('baseline')!.textContent).toContain('250.0 MiB');
    expect(part('unattributed')!.textContent).toContain('150.0 MiB');
    expect(section.node.textContent).toContain(
      'Resident 2.9 GiB of a 24.0 GiB limit (the container (cgroup))'
    );
  });

  it('offers each part its fix and runs it through the one action', async () => {
    const { fake, part } = render(explanation());
    fake.live.act.mockResolvedValue({
      trimmed: true,
      rss_before: 3000 * MiB,
      rss_after: 2700 * MiB,
      released_bytes: 300 * MiB,
      error: null
    });
    const release = part('allocator')!.querySelector<HTMLButtonElement>(
      '.jp-memlens-part-fix'
    )!;
    expect(release.textContent).toBe('Release to OS');
    release.click();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(fake.live.act).toHaveBeenCalledWith('release_to_os');
    expect(
      part('hidden')!.querySelector('.jp-memlens-part-fix')!.textContent
    ).toBe('Clear output cache');
    expect(part('variables')!.querySelector('button')).toBeNull();
    expect(part('baseline')!.querySelector('button')).toBeNull();
  });

  it('marks estimated parts and shows nothing without an explanation', () => {
    const estimated = explanation();
    estimated.parts[0] = { ...estimated.parts[0], exact: false };
    expect(render(estimated).part('variables')!.textContent).toContain(
      '≈2.0 GiB'
    );
    const { section } = render(null);
    expect(section.node.querySelector('[data-memlens-part]')).toBeNull();
  });

  it('names at most three holders and only the fixes it knows', () => {
    const part = {
      kind: 'hidden' as const,
      bytes: 10,
      top: [
        { holder: '_', bytes: 1, fix: 'clear_output_cache' },
        { holder: 'last exception', bytes: 4, fix: 'clear_last_error' },
        { holder: 'Out[2]', bytes: 3, fix: 'clear_output_cache' },
        { holder: 'figure 1', bytes: 2, fix: 'rm -rf /' }
      ]
    };
    expect(topText(part)).toBe(
      'last exception 4 B, Out[2] 3 B, figure 1 2 B, …'
    );
    expect(fixesOf(part)).toEqual(['clear_output_cache', 'clear_last_error']);
  });
});

describe('the post-mortem message', () => {
  it('says where the previous kernel stopped, and goes when dismissed', () => {
    const { fake, section } = render(null);
    expect(section.node.querySelector('.jp-memlens-postmortem')).toBeNull();
    fake.guard.postmortem = {
      time: 1,
      rss_bytes: 23.1 * GiB,
      limit_bytes: 24 * GiB,
      limit_source: 'cgroup',
      execution_count: 12,
      cell_id: 'c',
      running: true,
      top: [{ name: 'df', bytes: 12.3 * GiB }],
      likely_oom: true
    };
    section.render();
    const message = section.node.querySelector('.jp-memlens-postmortem')!;
    expect(message.textContent).toContain(
      'The kernel stopped at 23.1 GiB of its 24.0 GiB limit while running [12]; largest: df 12.3 GiB — likely out of memory.'
    );
    message.querySelector('button')!.click();
    expect(fake.guard.dismissPostmortem).toHaveBeenCalled();
    section.render();
    expect(section.node.querySelector('.jp-memlens-postmortem')).toBeNull();
  });
});

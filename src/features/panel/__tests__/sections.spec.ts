/**
 * @jest-environment jsdom
 *
 * The panel sections rendered from a fake notebook memlens: what each
 * shows, the stable selectors the UI tests and users rely on
 * (CONTRACTS.md §4), and when the progress line appears.
 */
jest.mock('@jupyterlab/apputils', () => ({
  showDialog: jest.fn(),
  Dialog: { cancelButton: jest.fn(), warnButton: jest.fn() },
  Notification: { success: jest.fn(), error: jest.fn(), info: jest.fn() }
}));

import type { IRuleInfo } from '../../../analyzer/types';
import { fakeMemlens, snapshot, variable } from '../../__tests__/fake-memlens';
import { FindingsSection } from '../findings-section';
import { GcSection } from '../gc-section';
import { KernelSection } from '../kernel-section';
import { PROGRESS_DELAY_MS } from '../progress-delay';
import { VariablesSection } from '../variables-section';

const MiB = 2 ** 20;

describe('VariablesSection', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('lists every variable, biggest first, with its size and free button', () => {
    const section = new VariablesSection();
    const fake = fakeMemlens(
      snapshot([
        variable('small', 1024),
        variable('big', 60 * MiB, { held_by: ['Out[4]', '_', '_4'] }),
        variable('<script>', 10)
      ])
    );
    section.model = fake.memlens;
    const rows = Array.from(
      section.node.querySelectorAll('[data-memlens-variable]')
    ).map(row => row.getAttribute('data-memlens-variable'));
    expect(rows).toEqual(['big', 'small', '<script>']);
    const big = section.node.querySelector('[data-memlens-variable="big"]')!;
    expect(big.querySelector('.jp-memlens-size')!.textContent).toBe('60.0 MiB');
    expect(big.querySelector('.jp-memlens-free')).not.toBeNull();
    expect(big.querySelector('.jp-memlens-name')!.getAttribute('title')).toBe(
      'big'
    );
    // the badges: Out[n] first
    const badges = Array.from(big.querySelectorAll('.jp-memlens-badge')).map(
      badge => badge.textContent
    );
    expect(badges[0]).toBe('Out[4]');
    expect(badges.length).toBeLessThanOrEqual(3);
    // kernel text is text, never markup
    expect(section.node.querySelector('script')).toBeNull();
    expect(section.node.textContent).toContain('3 variables');
  });

  it('collapses many holders into +N with their names in the tooltip', () => {
    const section = new VariablesSection();
    section.model = fakeMemlens(
      snapshot([
        variable('a', MiB, { held_by: ['Out[1]', '_', '_1', 'b', 'c'] })
      ])
    ).memlens;
    const more = section.node.querySelector('.jp-memlens-badge-more')!;
    expect(more.textContent).toBe('+3');
    expect(more.getAttribute('title')).toContain('b, c');
  });

  it('filters by name or type', () => {
    const section = new VariablesSection();
    section.model = fakeMemlens(
      snapshot([
        variable('frame', MiB, { type: 'pandas.DataFrame' }),
        variable('text', 10, { type: 'str' })
      ])
    ).memlens;
    const filter = section.node.querySelector(
      '.jp-memlens-filter'
    ) as HTMLInputElement;
    filter.value = 'dataframe';
    filter.dispatchEvent(new Event('input'));
    const rows = section.node.querySelectorAll('[data-memlens-variable]');
    expect(
      Array.from(rows).map(r => r.getAttribute('data-memlens-variable'))
    ).toEqual(['frame']);
    // a DataFrame row offers details
    expect(rows[0].querySelector('.jp-memlens-details')).not.toBeNull();
  });

  it('shows the progress line only once sizes stay pending for a second', () => {
    jest.useFakeTimers();
    const section = new VariablesSection();
    const fake = fakeMemlens(
      snapshot([variable('a', null, { pending: true })], {
        complete: false,
        progress: { sized: 0, total: 1 }
      })
    );
    section.model = fake.memlens;
    const progress = () => section.node.querySelector('.jp-memlens-progress');
    const summary = section.node.querySelector(
      '.jp-memlens-summary'
    ) as HTMLElement;
    expect(progress()).toBeNull();
    // the state itself is there at once, for tests and benchmarks
    expect(summary.dataset.memlensComplete).toBe('false');
    jest.advanceTimersByTime(PROGRESS_DELAY_MS / 2);
    // a follow-up still incomplete: still under a second
    section.render();
    expect(progress()).toBeNull();
    jest.advanceTimersByTime(PROGRESS_DELAY_MS / 2 + 1);
    expect(progress()).not.toBeNull();
    expect(progress()!.textContent).toContain('sized 0 of 1');
    // complete: the line goes at once
    fake.live.snapshot = snapshot([variable('a', 10)]);
    section.render();
    expect(progress()).toBeNull();
  });

  it('shows no progress for answers that alternate complete / incomplete', () => {
    jest.useFakeTimers();
    const section = new VariablesSection();
    const incomplete = snapshot([variable('a', null, { pending: true })], {
      complete: false
    });
    const complete = snapshot([variable('a', 10)]);
    const fake = fakeMemlens(incomplete);
    section.model = fake.memlens;
    for (let i = 0; i < 6; i++) {
      jest.advanceTimersByTime(PROGRESS_DELAY_MS * 0.6);
      fake.live.snapshot = i % 2 === 0 ? complete : incomplete;
      section.render();
      expect(section.node.querySelector('.jp-memlens-progress')).toBeNull();
    }
  });
});

describe('KernelSection', () => {
  it('shows RSS, USS and peak with their units', () => {
    const section = new KernelSection();
    section.model = fakeMemlens(snapshot([])).memlens;
    const text = (selector: string) =>
      section.node.querySelector(selector)?.textContent;
    expect(text('.jp-memlens-rss')).toBe('RSS295.4 MiB');
    expect(text('.jp-memlens-uss')).toBe('USS280.0 MiB');
    expect(text('.jp-memlens-peak')).toBe('peak310.0 MiB');
    expect(text('.jp-memlens-rss .jp-memlens-fact-value')).toBe('295.4 MiB');
  });

  it('says to open a notebook without one', () => {
    const section = new KernelSection();
    section.model = null;
    expect(section.node.textContent).toContain('Open a notebook');
    expect(section.node.querySelector('.jp-memlens-rss')).toBeNull();
  });
});

describe('GcSection', () => {
  it('shows each generation and whether collection is on', () => {
    const section = new GcSection();
    section.model = fakeMemlens(snapshot([])).memlens;
    const rows = section.node.querySelectorAll('table.jp-memlens-gc tr');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(section.node.textContent).toContain('1 / 700');
    expect(section.node.textContent).toContain('Automatic collection on');
  });
});

describe('FindingsSection', () => {
  const rules: IRuleInfo[] = [
    {
      id: 'ML601',
      name: 'open-without-with',
      title: 'File opened without with',
      severity: 'warning',
      docs: { why: 'why', whatToDo: 'what', bad: 'bad', good: 'good' }
    }
  ];

  it('groups the findings by rule with the rule documentation', () => {
    const section = new FindingsSection(rules);
    const fake = fakeMemlens(snapshot([]));
    fake.analysis.findings = [
      {
        rule: 'ML601',
        severity: 'warning',
        cell: 0,
        cellId: 'c0',
        line: 0,
        column: 4,
        endLine: 0,
        endColumn: 17,
        message: 'f is opened without with.',
        rationale: 'why',
        fix: null
      }
    ];
    section.model = fake.memlens;
    expect(section.node.textContent).toContain('f is opened without with.');
    expect(section.node.querySelector('[data-memlens-rule="ML601"]')).not.toBe(
      null
    );
  });

  it('says when there is nothing to report', () => {
    const section = new FindingsSection(rules);
    section.model = fakeMemlens(snapshot([])).memlens;
    expect(section.node.querySelectorAll('[data-memlens-rule]').length).toBe(0);
  });
});

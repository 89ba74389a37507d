/**
 * Typing in a 1,000-cell notebook (20,000 lines) must not stall the main
 * thread because of memlens: the analysis runs in a Web Worker.
 *
 * The notebook is the analyzer benchmark's (bench/analyzer/notebook.js).
 * With the memlens panel open, ~40 characters are typed into a cell in the
 * middle, with pauses longer than the analysis delay so that analyses run
 * while the user types. The page records long tasks (> 50 ms), long
 * animation frames (they name the scripts that ran, with their start) and
 * memlens's User Timing measures around its main-thread work
 * (`memlens:analysis-request`, `-apply`, `memlens:panel-render`, ...). A
 * long task is memlens's when it overlaps one of those measures or a
 * memlens script; the test asserts there is none, and prints every long
 * task with what ran in it (JupyterLab's own keystroke handling in a page
 * of a thousand editors reaches 50 ms now and then).
 *
 * MEMLENS_TYPING_MAIN_THREAD=1 blocks the worker (as a CSP would): the same
 * test then measures the main-thread fallback, and is expected to fail.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from '@jupyterlab/galata';
import { writeFileSync } from 'fs';
import { openPanel } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bench = require('../../bench/analyzer/notebook') as {
  makeCells(count: number): { kind: string; source: string }[];
  toNotebook(cells: { kind: string; source: string }[]): string;
};

const CELLS = 1000;
/** A code cell in the middle of the notebook. */
const TARGET = 500;
/** Typed at the end of the target cell, in bursts (42 characters). */
const BURSTS = ['\nlog_file', ' = ', 'open(', '"out/typing_log', '.txt", "a")'];
const MAIN_THREAD = process.env.MEMLENS_TYPING_MAIN_THREAD === '1';
const WARNING = 'memlens: the analysis runs on the main thread';

/** Make `new Worker(..., { name: 'memlens-analysis' })` throw, as a CSP would. */
async function blockAnalysisWorker(page: IJupyterLabPageFixture) {
  await page.addInitScript(() => {
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        if (options?.name === 'memlens-analysis') {
          throw new DOMException('blocked by the test', 'SecurityError');
        }
        super(url, options);
      }
    };
  });
  await page.reload();
}

interface ISpan {
  name: string;
  start: number;
  duration: number;
}

interface ITimeline {
  longTasks: ISpan[];
  /** Scripts of long animation frames (> 5 ms each). */
  scripts: ISpan[];
  /** memlens User Timing measures. */
  measures: ISpan[];
  keys: number[];
}

/**
 * Start recording long tasks, long frames' scripts and memlens measures
 * (again: what was recorded before is dropped).
 */
async function record(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as {
      memlensTimeline: ITimeline;
      memlensObservers?: PerformanceObserver[];
    };
    w.memlensObservers?.forEach(observer => observer.disconnect());
    const timeline: ITimeline = {
      longTasks: [],
      scripts: [],
      measures: [],
      keys: []
    };
    w.memlensTimeline = timeline;
    const span = (name: string, start: number, duration: number) => ({
      name,
      start,
      duration
    });
    const observe = (type: string, take: (entry: PerformanceEntry) => void) => {
      const observer = new PerformanceObserver(list =>
        list.getEntries().forEach(take)
      );
      observer.observe({ type, buffered: false });
      return observer;
    };
    w.memlensObservers = [
      observe('longtask', task =>
        timeline.longTasks.push(span('', task.startTime, task.duration))
      ),
      observe('long-animation-frame', entry => {
        const frame = entry as PerformanceEntry & {
          scripts: {
            sourceURL: string;
            invoker: string;
            startTime: number;
            duration: number;
          }[];
        };
        for (const s of frame.scripts) {
          const ours = s.sourceURL.includes('/jupyterlab-memlens/');
          const file = s.sourceURL.replace(/\?.*$/, '').split('/').pop();
          const name = `${s.invoker} (${ours ? 'memlens ' : ''}${file})`;
          timeline.scripts.push(span(name, s.startTime, s.duration));
        }
      }),
      observe('measure', m => {
        if (m.name.startsWith('memlens:')) {
          timeline.measures.push(span(m.name, m.startTime, m.duration));
        }
      })
    ];
    document.addEventListener(
      'keydown',
      () => timeline.keys.push(performance.now()),
      true
    );
  });
}

function timeline(page: IJupyterLabPageFixture): Promise<ITimeline> {
  return page.evaluate(
    () => (window as unknown as { memlensTimeline: ITimeline }).memlensTimeline
  );
}

/** How many cells of the current notebook JupyterLab has not rendered yet. */
function placeholders(page: IJupyterLabPageFixture): Promise<number> {
  return page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: { widgets: readonly { isPlaceholder(): boolean }[] };
    };
    return panel.content.widgets.filter(cell => cell.isPlaceholder()).length;
  });
}

/**
 * Long tasks with what overlapped them. memlens's main-thread work is every
 * `memlens:` measure but `memlens:analysis` (request to findings, mostly
 * spent waiting for the worker) and every script of the extension.
 */
function attribute(data: ITimeline) {
  const t0 = data.keys[0] ?? 0;
  const overlaps = (a: ISpan, b: ISpan) =>
    a.start < b.start + b.duration && b.start < a.start + a.duration;
  return data.longTasks.map(task => {
    const memlens = [
      ...data.measures.filter(m => m.name !== 'memlens:analysis'),
      ...data.scripts.filter(s => s.name.includes('(memlens '))
    ].filter(s => overlaps(s, task));
    const others = data.scripts
      .filter(s => !s.name.includes('(memlens '))
      .filter(s => overlaps(s, task));
    const list = (spans: ISpan[]) =>
      spans.map(s => `${s.name} ${Math.round(s.duration)} ms`).join(', ') ||
      'none';
    return {
      duration: Math.round(task.duration),
      memlens: memlens.length > 0,
      text:
        `at +${Math.round(task.start - t0)} ms, ${Math.round(task.duration)} ms` +
        ` | memlens: ${list(memlens)} | other scripts: ${list(others)}`
    };
  });
}

test.describe('typing in a 1,000-cell notebook', () => {
  test.setTimeout(420_000);

  test('memlens adds no main-thread long task while the user types', async ({
    page,
    tmpPath
  }) => {
    if (MAIN_THREAD) {
      await blockAnalysisWorker(page);
    }
    const workers: string[] = [];
    page.on('worker', worker => workers.push(worker.url()));
    const name = 'typing-1000.ipynb';
    const notebook = bench.toNotebook(bench.makeCells(CELLS));
    await page.contents.uploadContent(notebook, 'text', `${tmpPath}/${name}`);
    await record(page); // the opening, for the report
    await page.notebook.openByPath(`${tmpPath}/${name}`);
    await page.notebook.activate(name);
    await openPanel(page);

    // The first analysis of the whole notebook has reached the editors.
    await expect(
      page.locator('.jp-Notebook .jp-Cell .cm-lintRange').first()
    ).toBeVisible({ timeout: 120_000 });
    expect(workers.some(url => url.includes('memlens-analysis'))).toBe(
      !MAIN_THREAD
    );
    const opening = await timeline(page);
    const first = opening.measures.filter(
      m => m.name === 'memlens:analysis'
    )[0];
    const firstRequest = opening.measures.filter(
      m => m.name === 'memlens:analysis-request'
    )[0];
    const firstApply = opening.measures.filter(
      m => m.name === 'memlens:analysis-apply'
    )[0];
    // JupyterLab attaches the cells' editors while the page is idle, in
    // tasks of 100-200 ms (90 s for this notebook on 2 cores): measure
    // typing once that is over.
    await expect
      .poll(() => placeholders(page), { timeout: 240_000, intervals: [2000] })
      .toBe(0);

    // Edit the end of a cell in the middle of the notebook.
    await page.evaluate(async target => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content: {
          activeCellIndex: number;
          mode: string;
          scrollToItem(index: number, align: string): Promise<void>;
        };
      };
      panel.content.activeCellIndex = target;
      await panel.content.scrollToItem(target, 'center');
      panel.content.mode = 'edit';
    }, TARGET);
    const cell = page.locator(
      `.jp-Notebook .jp-Cell[data-windowed-list-index="${TARGET}"]`
    );
    await cell.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.waitForTimeout(2000);

    await record(page);
    let n = 0;
    for (const burst of BURSTS) {
      for (const char of burst) {
        await page.keyboard.type(char);
        await page.waitForTimeout(60 + ((n++ * 37) % 80)); // 60-140 ms a key
      }
      // longer than the analysis delay (300 ms): analyses run mid-typing
      await page.waitForTimeout(450 + (n % 3) * 150);
    }
    // The analysis of the last edit has reached the editor and the panel.
    await expect(
      cell.locator('.cm-lintRange', { hasText: 'typing_log' })
    ).toBeVisible();
    await page.waitForTimeout(1000);

    const data = await timeline(page);
    writeFileSync(
      test.info().outputPath('timeline.json'),
      JSON.stringify(data, null, 1)
    );
    const runs = data.measures.filter(m => m.name === 'memlens:analysis');
    const ms = (name: string) =>
      data.measures
        .filter(m => m.name === name)
        .map(m => m.duration.toFixed(1))
        .join(', ');
    const tasks = attribute(data);
    const summary = [
      `analysis ${MAIN_THREAD ? 'on the main thread (forced)' : 'in the worker'}`,
      `opening: first analysis ${first?.duration.toFixed(0)} ms from request ` +
        `to findings, of which on the main thread: request ` +
        `${firstRequest?.duration.toFixed(1)} ms, apply ` +
        `${firstApply?.duration.toFixed(1)} ms`,
      `typing: ${data.keys.length} keys, ${runs.length} analyses`,
      `request to findings (ms): ${ms('memlens:analysis')}`,
      `main thread, memlens (ms): request ${ms('memlens:analysis-request')}` +
        ` | apply ${ms('memlens:analysis-apply')}` +
        ` | panel ${ms('memlens:panel-render')}`,
      `long tasks: ${tasks.length}, memlens's: ${tasks.filter(t => t.memlens).length}`,
      ...tasks.map(t => `  ${t.text}`)
    ].join('\n');
    console.log(summary);

    expect(runs.length).toBeGreaterThan(1); // analyses ran while typing
    expect(
      tasks.filter(t => t.memlens).map(t => t.duration),
      summary
    ).toEqual([]);
  });
});

test.describe('without a worker', () => {
  test('the analysis falls back to the main thread with one warning', async ({
    page
  }) => {
    const warnings: string[] = [];
    page.on('console', message => {
      if (message.text().startsWith(WARNING)) {
        warnings.push(message.text());
      }
    });
    const workers: string[] = [];
    page.on('worker', worker => workers.push(worker.url()));
    await blockAnalysisWorker(page);
    await page.notebook.createNew();
    await page.notebook.setCell(0, 'code', 'f = open("x.txt")');
    await page.notebook.addCell(
      'code',
      'report = ""\nfor i in range(n):\n    report += str(i)'
    );
    // ML601 and ML101, found on the main thread
    const warning = (cell: number, text: string) =>
      page
        .locator('.jp-NotebookPanel:visible .jp-Cell')
        .nth(cell)
        .locator('.cm-lintRange-warning', { hasText: text });
    await expect(warning(0, 'x.txt')).toBeVisible();
    await expect(warning(1, 'report')).toBeVisible();
    expect(workers.filter(url => url.includes('memlens-analysis'))).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('blocked by the test');
  });
});

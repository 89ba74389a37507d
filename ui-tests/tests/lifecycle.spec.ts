import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from '@jupyterlab/galata';
import { openPanel, row, run } from './helpers';

/**
 * Restart the active notebook's kernel the way a user does: the menu
 * command, then "Restart" in the confirmation dialog. Resolves once the
 * command finished (the new kernel answered its kernel_info request).
 */
async function restartFromMenu(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() => {
    const app = window.jupyterapp as unknown as {
      commands: { execute(id: string): Promise<unknown> };
    };
    (window as unknown as { memlensRestart: Promise<unknown> }).memlensRestart =
      app.commands.execute('notebook:restart-kernel');
  });
  const accept = page.locator('.jp-Dialog .jp-mod-accept');
  await accept.click();
  await page.evaluate(async () => {
    await (window as unknown as { memlensRestart: Promise<unknown> })
      .memlensRestart;
  });
}

/**
 * Run `source` in the first cell of the active notebook (with several
 * notebooks open, the shared `run` helper counts the cells of all of them).
 */
async function runActive(
  page: IJupyterLabPageFixture,
  source: string
): Promise<void> {
  await page.notebook.setCell(0, 'code', source);
  await page.notebook.runCell(0);
}

/** Activate the `index`-th open notebook. */
async function activateNotebook(
  page: IJupyterLabPageFixture,
  index: number
): Promise<void> {
  await page.evaluate(i => {
    const shell = window.jupyterapp.shell as unknown as {
      widgets(area: string): Iterable<{ id: string; sessionContext?: unknown }>;
      activateById(id: string): void;
    };
    const panels = [...shell.widgets('main')].filter(w => w.sessionContext);
    shell.activateById(panels[i].id);
  }, index);
}

/** The state the panel's Kernel section shows (`data-memlens-state`). */
function panelState(page: IJupyterLabPageFixture) {
  return page.locator('#memlens-panel .jp-memlens-status');
}

// Galata's kernel tracking answers the restart request itself with
// "201 Created", which JupyterLab rejects: track nothing in these tests.
test.describe('memlens kernel lifecycle (deterministic)', () => {
  test.use({ kernels: null });

  test.beforeEach(async ({ page }) => {
    await page.notebook.createNew();
    await openPanel(page);
  });

  test.afterEach(async ({ page }) => {
    await page.evaluate(async () => {
      const widget = window.jupyterapp.shell.currentWidget as unknown as {
        sessionContext?: { shutdown(): Promise<void> };
      };
      await widget.sessionContext?.shutdown();
    });
  });

  test('five restarts in a row: each new variable appears within 2 s of its cell', async ({
    page
  }) => {
    const logs: string[] = [];
    page.on('console', message => {
      if (/subshell|memlens/i.test(message.text())) {
        logs.push(message.text());
      }
    });
    await run(page, 'before = bytearray(1_000_000)');
    await expect(row(page, 'before')).toBeVisible({ timeout: 2000 });
    for (let i = 1; i <= 5; i++) {
      await restartFromMenu(page);
      await expect(row(page, 'before')).toHaveCount(0);
      const name = `after_restart_${i}`;
      await run(page, `${name} = bytearray(1_000_000)`);
      // The cell has finished: the row must follow quickly, every time.
      await expect(row(page, name), `restart ${i}`).toBeVisible({
        timeout: 2000
      });
      await expect(panelState(page)).toHaveAttribute(
        'data-memlens-state',
        'ready'
      );
    }
    expect(logs.filter(text => /Unknown subshell/i.test(text))).toEqual([]);
  });

  test('the helper closing the comm is shown and memlens reconnects', async ({
    page
  }) => {
    await run(page, 'kept = bytearray(1_000_000)');
    await expect(row(page, 'kept')).toBeVisible({ timeout: 2000 });
    // Close every memlens comm from the kernel side, as a helper that
    // shuts down would (no user name is added: the code runs in a function).
    await run(
      page,
      '(lambda m: [c.close() for c in list(m.comms.values()) if c.target_name == "memlens"])(__import__("comm").get_comm_manager())'
    );
    // memlens notices and opens a new comm: the panel works again.
    await run(page, 'later = bytearray(1_000_000)');
    await expect(row(page, 'later')).toBeVisible({ timeout: 5000 });
    await expect(panelState(page)).toHaveAttribute(
      'data-memlens-state',
      'ready'
    );
  });

  test('two views of one notebook: both follow a restart', async ({ page }) => {
    test.setTimeout(60000);
    await runActive(page, 'first = bytearray(1_000_000)');
    await expect(row(page, 'first')).toBeVisible({ timeout: 2000 });
    // A second view of the same notebook shares its session: two memlens
    // connections, one kernel, one comm target.
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('docmanager:clone');
    });
    await expect(page.locator('.jp-NotebookPanel')).toHaveCount(2);
    await restartFromMenu(page);
    await runActive(page, 'second = bytearray(1_000_000)');
    await expect(row(page, 'second')).toBeVisible({ timeout: 2000 });
  });

  test('a second notebook on the same kernel says why it has no facts; the first survives its restart', async ({
    page
  }) => {
    test.setTimeout(60000);
    await runActive(page, 'shared = bytearray(1_000_000)');
    await expect(row(page, 'shared')).toBeVisible({ timeout: 2000 });
    await page.notebook.createNew();
    // Attach the second notebook to the first one's kernel.
    await page.evaluate(async () => {
      const [one, two] = notebookPanels();
      await one.sessionContext.ready;
      await two.sessionContext.ready;
      const own = two.sessionContext.session?.kernel?.id;
      await two.sessionContext.changeKernel({
        id: one.sessionContext.session!.kernel!.id
      });
      if (own) {
        // The second notebook's own kernel is no longer used.
        await fetch(`/api/kernels/${own}`, { method: 'DELETE' });
      }

      function notebookPanels() {
        type Panel = {
          sessionContext: {
            ready: Promise<void>;
            session: { kernel: { id: string } | null } | null;
            changeKernel(model: { id: string }): Promise<unknown>;
          };
        };
        const shell = window.jupyterapp.shell as unknown as {
          widgets(area: string): Iterable<Partial<Panel>>;
        };
        return [...shell.widgets('main')].filter(
          widget => widget.sessionContext
        ) as Panel[];
      }
    });
    // JupyterLab gives the comms of a kernel to one connection per page.
    await runActive(page, 'from_second = 1');
    await expect(panelState(page)).toHaveAttribute(
      'data-memlens-state',
      'unavailable'
    );
    await expect(panelState(page)).toContainText('Another notebook');
    await activateNotebook(page, 0);
    await restartFromMenu(page);
    await runActive(page, 'after_restart = bytearray(1_000_000)');
    await expect(row(page, 'after_restart')).toBeVisible({ timeout: 2000 });
    await expect(row(page, 'shared')).toHaveCount(0);
  });
});

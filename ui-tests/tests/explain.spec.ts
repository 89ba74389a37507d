import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import {
  openPanel,
  parseSize,
  refresh,
  row,
  run,
  setSettings
} from './helpers';

const MiB = 2 ** 20;

/** The line of one part of the memory explanation. */
function part(page: IJupyterLabPageFixture, kind: string) {
  return page.locator(`#memlens-panel [data-memlens-part="${kind}"]`);
}

/** The size a part's line shows, in bytes. */
async function partBytes(
  page: IJupyterLabPageFixture,
  kind: string
): Promise<number> {
  return parseSize(
    await part(page, kind).locator('.jp-memlens-part-size').innerText()
  );
}

/** The kernel's resident size, as the Kernel section shows it. */
async function rss(page: IJupyterLabPageFixture): Promise<number> {
  await refresh(page);
  const value = page.locator(
    '#memlens-panel .jp-memlens-rss .jp-memlens-fact-value'
  );
  await expect(value).toBeVisible();
  return parseSize(await value.innerText());
}

/** Elements of the explanation that stick out or wrap their unit. */
async function explainOverflows(page: IJupyterLabPageFixture) {
  return page.evaluate(() => {
    const panel = document.querySelector('#memlens-panel')!;
    const edge = panel.getBoundingClientRect();
    const bad: string[] = [];
    const all = panel.querySelectorAll(
      '.jp-memlens-explain, .jp-memlens-explain-bar, [data-memlens-part], [data-memlens-part] *'
    );
    for (const el of all) {
      const box = el.getBoundingClientRect();
      if (
        box.width > 0 &&
        (box.left < edge.left - 0.5 || box.right > edge.right + 0.5)
      ) {
        bad.push(`${el.className} outside the panel`);
      }
    }
    for (const line of panel.querySelectorAll('[data-memlens-part]')) {
      if (line.scrollWidth > line.clientWidth + 1) {
        bad.push(
          `${line.getAttribute('data-memlens-part')} wider than the panel`
        );
      }
      const size = line.querySelector('.jp-memlens-part-size')!;
      const label = line.querySelector('.jp-memlens-part-label')!;
      const a = size.getBoundingClientRect();
      const b = label.getBoundingClientRect();
      // "1.2 GiB" on one line, level with its label
      if (a.height > b.height * 1.5 || Math.abs(a.top - b.top) > 3) {
        bad.push(`${line.getAttribute('data-memlens-part')} size wraps`);
      }
    }
    return bad;
  });
}

/** Drag the right sidebar's split handle so the panel is `width` px wide. */
async function resizeSidebar(
  page: IJupyterLabPageFixture,
  width: number
): Promise<void> {
  const panel = page.locator('#memlens-panel');
  for (let attempt = 0; attempt < 4; attempt++) {
    const box = (await panel.boundingBox())!;
    if (Math.abs(box.width - width) <= 2) {
      return;
    }
    const x = box.x - 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + (box.width - width), y, { steps: 5 });
    await page.mouse.up();
  }
}

test.describe('memlens explains the kernel memory', () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  test.beforeEach(async ({ page }) => {
    await page.notebook.createNew();
    await openPanel(page);
  });

  test.afterEach(async ({ page }) => {
    await setSettings(page, {
      memoryLimit: null,
      guardEnabled: null,
      guardLevel: null
    });
  });

  test('shows the parts as one bar and frees a hidden holder with its fix', async ({
    page
  }) => {
    await run(page, 'import numpy as np\narr = np.ones(25_000_000)');
    await refresh(page);
    const parts = page.locator('#memlens-panel .jp-memlens-explain-segment');
    await expect(parts.first()).toBeVisible();
    for (const kind of ['variables', 'baseline']) {
      await expect(part(page, kind)).toBeVisible();
    }
    // the 200 MB array is in the variables part, named
    expect(await partBytes(page, 'variables')).toBeGreaterThan(190 * MiB);
    await expect(part(page, 'variables')).toContainText('arr');

    // displayed, then deleted: only Out[n] keeps it
    await run(page, 'arr');
    await run(page, 'del arr');
    await refresh(page);
    await expect(part(page, 'hidden')).toContainText(/Out\[\d+\]/);
    expect(await partBytes(page, 'hidden')).toBeGreaterThan(190 * MiB);
    const before = await rss(page);
    await part(page, 'hidden')
      .locator('.jp-memlens-part-fix', { hasText: 'Clear output cache' })
      .click();
    const result = page.locator(
      '#memlens-panel .jp-memlens-explain .jp-memlens-action-result'
    );
    await expect(result).toContainText('Cleared the output cache');
    // the hidden part is gone (or nearly), and so is the memory
    await expect
      .poll(async () =>
        (await part(page, 'hidden').count()) === 0
          ? 0
          : await partBytes(page, 'hidden')
      )
      .toBeLessThan(10 * MiB);
    expect(await rss(page)).toBeLessThan(before - 150 * MiB);
  });

  test('offers Release to OS for what the allocator keeps after a free', async ({
    page
  }) => {
    // many small blocks, a few kept: the freed ones cannot go back whole
    await run(
      page,
      'blocks = [bytearray(2000) for _ in range(150_000)]\nkept = blocks[::50]'
    );
    await run(page, 'del blocks');
    await refresh(page);
    const allocator = part(page, 'allocator');
    await expect(allocator).toBeVisible();
    const held = await partBytes(page, 'allocator');
    expect(held).toBeGreaterThan(100 * MiB);
    await allocator
      .locator('.jp-memlens-part-fix', { hasText: 'Release to OS' })
      .click();
    const result = page.locator(
      '#memlens-panel .jp-memlens-explain .jp-memlens-action-result'
    );
    await expect(result).toContainText('Released');
    await expect
      .poll(() => partBytes(page, 'allocator'))
      .toBeLessThan(held / 2);
  });

  test('warns with LV111 above 80% of a limit set in the settings', async ({
    page
  }) => {
    await run(page, 'import numpy as np\nbig = np.ones(10_000_000)');
    const used = await rss(page);
    // the kernel now uses about 85% of its limit
    await setSettings(page, { memoryLimit: String(Math.round(used / 0.85)) });
    const status = page.locator('.jp-memlens-status-item');
    await expect(status).toHaveAttribute('data-memlens-level', 'warning');
    await expect(status).toContainText(' / ');
    await refresh(page);
    const group = page.locator('#memlens-panel [data-memlens-rule="LV111"]');
    await expect(group).toBeVisible();
    await expect(group.locator('.jp-memlens-finding')).toContainText('big');
    await group.locator('summary').click();
    await expect(group.locator('.jp-memlens-docs')).toContainText('80%');
    await expect(
      page.locator('#memlens-panel .jp-memlens-explain-title')
    ).toContainText('memlens settings');
  });

  test('the guard interrupts a growing cell and says so', async ({ page }) => {
    const used = await rss(page);
    await setSettings(page, {
      guardEnabled: true,
      guardLevel: String(Math.round(used + 200 * MiB))
    });
    // the panel says the guard is armed, and at what size
    const armed = page.locator(
      '#memlens-panel .jp-memlens-guard .jp-memlens-fact-value'
    );
    const level = used + 200 * MiB;
    await expect
      .poll(async () =>
        (await armed.count()) === 0
          ? Infinity
          : Math.abs(parseSize(await armed.innerText()) - level) / level
      )
      .toBeLessThan(0.05);
    // bounded (1 GB at most) in case the guard failed
    const output = await run(
      page,
      'import time\nchunks = []\nfor _ in range(100):\n    chunks.append(bytearray(10_000_000))\n    time.sleep(0.02)'
    );
    expect(output).toContain('KeyboardInterrupt');
    const toast = page.locator('.jp-toast-message', {
      hasText: 'memlens interrupted'
    });
    await expect(toast).toBeVisible();
    await expect(toast).toContainText('chunks');
    // the kernel is still there, with what the cell had built: free it
    // from the panel (a request, not a cell) to go back below the level
    await refresh(page);
    await row(page, 'chunks').locator('.jp-memlens-free').click();
    await expect(row(page, 'chunks')).toHaveCount(0);
    expect((await run(page, "print('chunks' in globals())")).trim()).toBe(
      'False'
    );
  });

  test('says what killed the kernel after it was killed and restarted', async ({
    page
  }) => {
    const pid = Number(
      (
        await run(
          page,
          'import os, numpy as np\nbig = np.ones(20_000_000)\nprint(os.getpid())'
        )
      ).trim()
    );
    const used = await rss(page);
    // at 95% of the limit: "likely out of memory"
    await setSettings(page, { memoryLimit: String(Math.round(used / 0.95)) });
    await expect(page.locator('.jp-memlens-status-item')).toHaveAttribute(
      'data-memlens-level',
      'error'
    );
    await run(page, 'x = 1');
    process.kill(pid, 'SIGKILL');
    // JupyterLab says it restarts the dead kernel
    const dialog = page.locator('.jp-Dialog', { hasText: 'Kernel Restarting' });
    await expect(dialog).toBeVisible({ timeout: 30000 });
    await dialog.locator('.jp-mod-accept').click();
    // the server restarts the kernel; its helper returns the record once
    const message = page.locator('#memlens-panel .jp-memlens-postmortem');
    await expect(message).toContainText('The kernel stopped at', {
      timeout: 60000
    });
    await expect(message).toContainText('big');
    await expect(message).toContainText('likely out of memory');
    await expect(
      page.locator('.jp-toast-message', { hasText: 'The kernel stopped at' })
    ).toBeVisible();
    // once: the next kernel of a clean restart has none
    await message.locator('button', { hasText: 'Dismiss' }).click();
    await expect(message).toHaveCount(0);
  });
});

test.describe('the memory explanation in a narrow sidebar', () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  test('fits the default sidebar (250 px) and 200 px', async ({ page }) => {
    // JupyterLab's sidebars stop at 250 px (--jp-sidebar-min-width); a
    // user's theme or a small screen may lower it: lower it before the
    // page lays out its sidebars.
    await page.addInitScript(() => {
      // (JupyterLab writes the theme's value inline on <html>: a rule
      // marked important wins over it)
      const style = document.createElement('style');
      style.textContent = ':root { --jp-sidebar-min-width: 200px !important; }';
      document.addEventListener('DOMContentLoaded', () =>
        document.head.append(style)
      );
    });
    await page.goto();
    await page.notebook.createNew();
    await openPanel(page);
    await run(
      page,
      'import numpy as np\na_long_variable_name_for_the_layout = np.ones(2_000_000)\na_long_variable_name_for_the_layout'
    );
    await run(page, 'del a_long_variable_name_for_the_layout');
    await refresh(page);
    await expect(part(page, 'hidden')).toBeVisible();
    for (const width of [250, 200]) {
      await resizeSidebar(page, width);
      const box = (await page.locator('#memlens-panel').boundingBox())!;
      expect(Math.abs(box.width - width)).toBeLessThanOrEqual(4);
      expect(await explainOverflows(page)).toEqual([]);
    }
  });
});

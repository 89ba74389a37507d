import { expect, test } from '@jupyterlab/galata';
import { openPanel, parseSize, refresh, row, run } from './helpers';

test.describe('memlens live memory', () => {
  test.beforeEach(async ({ page }) => {
    await page.notebook.createNew();
    await openPanel(page);
  });

  test('lists a big array and a DataFrame with accurate sizes', async ({
    page
  }) => {
    await run(
      page,
      'import numpy as np, pandas as pd\narr = np.ones(25_000_000)'
    );
    const printed = await run(
      page,
      "df = pd.DataFrame({'s': [f'value-{i}' for i in range(200_000)], 'x': range(200_000)}, dtype=object)\n" +
        'print(int(df.memory_usage(deep=True).sum()))'
    );
    const truth = Number(printed.trim());
    expect(truth).toBeGreaterThan(10_000_000);
    await refresh(page);
    await expect(row(page, 'arr')).toBeVisible();
    await expect(row(page, 'df')).toBeVisible();
    const arrSize = parseSize(
      await row(page, 'arr').locator('.jp-memlens-size').innerText()
    );
    expect(Math.abs(arrSize - 200_000_000) / 200_000_000).toBeLessThan(0.1);
    const dfSize = parseSize(
      await row(page, 'df').locator('.jp-memlens-size').innerText()
    );
    expect(Math.abs(dfSize - truth) / truth).toBeLessThan(0.1);
  });

  test('frees an array from the panel', async ({ page }) => {
    await run(page, 'import numpy as np\narr = np.ones(25_000_000)');
    await refresh(page);
    await expect(row(page, 'arr')).toBeVisible();
    await row(page, 'arr').locator('.jp-memlens-free').click();
    await expect(row(page, 'arr')).toHaveCount(0);
    const result = page.locator('#memlens-panel .jp-memlens-free-result');
    await expect(result).toContainText('Freed');
    expect(parseSize(await result.innerText())).toBeGreaterThan(150 * 2 ** 20);
    expect((await run(page, "print('arr' in globals())")).trim()).toBe('False');
  });

  test('free keeps the row in place under the pointer and explains RSS', async ({
    page
  }) => {
    await run(
      page,
      'import numpy as np\nfirst = np.ones(30_000_000)\nsecond = np.ones(20_000_000)'
    );
    await refresh(page);
    const button = row(page, 'first').locator('.jp-memlens-free');
    // The box is null until the row is drawn.
    await expect(button).toBeVisible();
    const box = (await button.boundingBox())!;
    await button.click();
    await expect(row(page, 'first')).toHaveCount(0);
    // The freed row stays, greyed and without buttons, while the pointer is
    // over the list: what is under the pointer is not the next free button.
    const ghost = page.locator('#memlens-panel [data-memlens-freed="first"]');
    await expect(ghost).toBeVisible();
    await expect(ghost.locator('button')).toHaveCount(0);
    const under = await page.evaluate(
      ([x, y]) =>
        document.elementFromPoint(x, y)?.closest('button')?.className ?? '',
      [box.x + box.width / 2, box.y + box.height / 2]
    );
    expect(under).not.toContain('jp-memlens-free');
    const result = page.locator('#memlens-panel .jp-memlens-free-result');
    await expect(result).toContainText('Freed');
    await expect(result).toContainText('RSS');
    await expect(row(page, 'second')).toBeVisible();
    // Once the pointer leaves the list, the place closes.
    await page.mouse.move(0, 0);
    await expect(ghost).toHaveCount(0);
    expect((await run(page, "print('second' in globals())")).trim()).toBe(
      'True'
    );
  });

  test('documents a live finding in the panel', async ({ page }) => {
    await run(page, 'import numpy as np\nhuge = np.ones(10_000_000)');
    await refresh(page);
    const group = page.locator('#memlens-panel [data-memlens-rule="LV101"]');
    await expect(group).toContainText('Large object in the namespace');
    await group.locator('summary').click();
    await expect(group.locator('.jp-memlens-docs')).toContainText(
      'keeps its object'
    );
  });

  test('shows and clears a DataFrame held by the output cache', async ({
    page
  }) => {
    await run(
      page,
      "import pandas as pd\ndf = pd.DataFrame({'x': range(10_000_000)})"
    );
    await run(page, 'df');
    await refresh(page);
    await expect(
      row(page, 'df').locator('.jp-memlens-badge', { hasText: /^Out\[\d+\]$/ })
    ).toBeVisible();
    await row(page, 'df').locator('.jp-memlens-free').click();
    await expect(row(page, 'df')).toHaveCount(0);
    const result = page.locator('#memlens-panel .jp-memlens-free-result');
    await expect(result).toContainText('Freed');
    expect(parseSize(await result.innerText())).toBeGreaterThan(60 * 2 ** 20);
    await expect(result).toContainText('RSS');
  });

  test('shows what only the output cache keeps alive and releases it', async ({
    page
  }) => {
    await run(page, 'import numpy as np\nkept = np.ones(10_000_000)');
    await run(page, 'kept');
    await run(page, 'del kept');
    await refresh(page);
    const hidden = page.locator('#memlens-panel .jp-memlens-hidden-item');
    await expect(hidden).toContainText('numpy.ndarray held by Out[');
    await hidden.locator('.jp-memlens-release-hidden').click();
    await expect(hidden).toHaveCount(0);
    expect((await run(page, 'print(len(Out))')).trim()).toBe('0');
  });

  test('renders hostile column names as text', async ({ page }) => {
    const name = '<img src=x onerror=window.__xss=1>';
    await run(
      page,
      `import pandas as pd\nhostile = pd.DataFrame({${JSON.stringify(name)}: range(1000)})`
    );
    await refresh(page);
    await row(page, 'hostile').locator('.jp-memlens-details').click();
    const column = page.locator('#memlens-panel .jp-memlens-columns td', {
      hasText: name
    });
    await expect(column).toHaveText(name);
    expect(
      await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)
    ).toBeUndefined();
    await expect(page.locator('#memlens-panel img')).toHaveCount(0);
  });

  test('keeps the kernel section current during a long cell', async ({
    page
  }) => {
    await run(page, 'import time');
    await refresh(page);
    await page.notebook.addCell(
      'code',
      'blocks = []\nfor _ in range(10):\n    blocks.append(bytearray(20_000_000))\n    time.sleep(0.5)'
    );
    const count = await page.locator('.jp-Notebook .jp-Cell').count();
    await page.notebook.selectCells(count - 1);
    await page.keyboard.press('Shift+Enter');
    const status = page.locator('#memlens-panel .jp-memlens-status');
    const rss = page.locator(
      '#memlens-panel .jp-memlens-rss .jp-memlens-fact-value'
    );
    await expect(page.locator('#jp-main-statusbar')).toContainText('Busy');
    const first = await rss.innerText();
    // Either the facts move while the cell runs, or the panel says busy.
    await expect(async () => {
      const busy = (await status.getAttribute('data-memlens-state')) === 'busy';
      const moved = (await rss.innerText()) !== first;
      expect(busy || moved).toBe(true);
    }).toPass({ timeout: 4000 });
    await page.notebook.waitForRun(count - 1);
  });
});

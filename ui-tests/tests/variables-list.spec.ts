import { expect, test } from '@jupyterlab/galata';
import { openPanel, refresh, row, run } from './helpers';

test.describe('memlens variable list', () => {
  test.beforeEach(async ({ page }) => {
    await page.notebook.createNew();
    await openPanel(page);
  });

  test('moves between rows with the keyboard and reaches their buttons', async ({
    page
  }) => {
    await run(
      page,
      'import numpy as np\nbig = np.ones(3_000_000)\nmid = np.ones(2_000_000)\nsmall = np.ones(1_000_000)'
    );
    await refresh(page);
    await expect(row(page, 'small')).toBeVisible();
    // sorted by size: big, mid, small; the list is one tab stop
    await row(page, 'big').focus();
    await page.keyboard.press('ArrowDown');
    await expect(row(page, 'mid')).toBeFocused();
    await page.keyboard.press('End');
    await expect(row(page, 'small')).toBeFocused();
    await page.keyboard.press('Home');
    await expect(row(page, 'big')).toBeFocused();
    await expect(row(page, 'mid')).toHaveAttribute('tabindex', '-1');
    await page.keyboard.press('Tab');
    await expect(row(page, 'big').locator('.jp-memlens-free')).toBeFocused();
  });

  test('keeps the row nodes of unchanged variables across answers', async ({
    page
  }) => {
    await run(
      page,
      'import numpy as np\nstay = np.ones(1_000_000)\ngrow = [0]'
    );
    await refresh(page);
    await expect(row(page, 'grow')).toBeVisible();
    await row(page, 'stay').evaluate(node => {
      (node as HTMLElement & { memlensMark?: boolean }).memlensMark = true;
    });
    await row(page, 'grow').evaluate(node => {
      (node as HTMLElement & { memlensMark?: boolean }).memlensMark = true;
    });
    await run(page, 'grow = list(range(1_000_000))');
    await refresh(page);
    await expect(row(page, 'grow').locator('.jp-memlens-size')).toContainText(
      'MiB'
    );
    const marks = await page.evaluate(() =>
      ['stay', 'grow'].map(
        name =>
          (
            document.querySelector(
              `#memlens-panel [data-memlens-variable="${name}"]`
            ) as (HTMLElement & { memlensMark?: boolean }) | null
          )?.memlensMark === true
      )
    );
    // the unchanged row is the same node; the changed one was redrawn
    expect(marks).toEqual([true, false]);
  });
});

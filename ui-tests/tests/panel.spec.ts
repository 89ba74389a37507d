import { expect, test } from '@jupyterlab/galata';

test.describe('memlens panel', () => {
  test('opens from its command with no console errors', async ({ page }) => {
    const errors: string[] = [];
    page.on('console', message => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('memlens:open-panel');
    });
    await expect(page.locator('#memlens-panel')).toBeVisible();
    expect(errors.filter(text => text.includes('memlens'))).toEqual([]);
  });
});

test.describe('memlens View menu entry', () => {
  test('opens the panel in the right sidebar, checked, and closes it', async ({
    page
  }) => {
    const entry = page.locator('.lm-Menu-item', { hasText: 'memlens panel' });
    await page.menu.clickMenuItem('View>memlens panel');
    await expect(page.locator('#jp-right-stack #memlens-panel')).toBeVisible();
    await page.menu.open('View');
    await expect(entry).toHaveClass(/lm-mod-toggled/);
    await entry.click();
    await expect(page.locator('#memlens-panel')).toBeHidden();
    await page.menu.open('View');
    await expect(entry).not.toHaveClass(/lm-mod-toggled/);
  });
});

test.describe('memlens status bar', () => {
  test('shows kernel memory after a cell, with the panel closed', async ({
    page
  }) => {
    await page.notebook.createNew();
    await page.notebook.setCell(0, 'code', 'x = 1');
    await page.notebook.runCell(0);
    const item = page.locator('.jp-memlens-status-item');
    // against the kernel's limit when the helper finds one
    await expect(item).toHaveText(
      /^Mem: \d+(\.\d+)? (MiB|GiB)( \/ \d+(\.\d+)? (MiB|GiB|TiB))?$/
    );
    await item.click();
    await expect(page.locator('#memlens-panel')).toBeVisible();
  });
});

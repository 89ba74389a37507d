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

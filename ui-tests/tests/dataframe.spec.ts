import { expect, test } from '@jupyterlab/galata';
import { openPanel, refresh, row, run } from './helpers';

test.describe('memlens DataFrame details', () => {
  test('suggests narrower dtypes and inserts the exact fix as a new cell', async ({
    page
  }) => {
    await page.notebook.createNew();
    await openPanel(page);
    await run(
      page,
      'import numpy as np, pandas as pd\n' +
        'n = 1_000_000\n' +
        "orders = pd.DataFrame({'store': np.array(['north', 'south', 'east'], dtype=object)[np.arange(n) % 3],\n" +
        "                       'qty': np.arange(n) % 100})"
    );
    await refresh(page);
    await row(page, 'orders').locator('.jp-memlens-details').click();
    const columns = page.locator('#memlens-panel .jp-memlens-columns');
    await expect(
      columns.locator('[data-memlens-column="store"]')
    ).toContainText('category');
    await expect(columns.locator('[data-memlens-column="qty"]')).toContainText(
      'int8'
    );
    const before = await page.locator('.jp-Notebook .jp-Cell').count();
    await page.locator('#memlens-panel .jp-memlens-insert-fix').click();
    await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(before + 1);
    // The fix cell goes below the active cell and becomes the active one.
    const index = await page.evaluate(
      () =>
        (
          window.jupyterapp.shell.currentWidget as unknown as {
            content: { activeCellIndex: number };
          }
        ).content.activeCellIndex
    );
    const inserted = await page.notebook.getCellTextInput(index);
    expect(inserted).toContain('orders');
    expect(inserted).toContain('astype');
    // Running the inserted cell really shrinks the frame.
    await page.notebook.runCell(index);
    const after = await run(
      page,
      "print(int(orders.memory_usage(deep=True).sum()) < 5_000_000, orders['store'].dtype)"
    );
    expect(after.trim()).toBe('True category');
  });
});

import { expect, test } from '@jupyterlab/galata';
import { openPanel, refresh, row, run } from './helpers';

const THEMES = ['JupyterLab Light', 'JupyterLab Dark'];

for (const theme of THEMES) {
  test(`panel snapshot in ${theme}`, async ({ page }) => {
    await page.theme.setTheme(theme);
    await page.notebook.createNew('demo.ipynb');
    await openPanel(page);
    await run(
      page,
      "import numpy as np\nimport pandas as pd\nraw = np.zeros((2_000, 5_000))\nsales = pd.DataFrame({'store': ['north', 'south'] * 500_000, 'units': range(1_000_000)})"
    );
    await run(page, 'sales');
    await run(
      page,
      'report = ""\nfor i in range(3):\n    report += str(i)\nf = open("demo.txt", "w")'
    );
    await refresh(page);
    await expect(row(page, 'sales')).toBeVisible();
    const panel = page.locator('#memlens-panel');
    // Process numbers and the timeline move from run to run: mask them.
    await expect(panel).toHaveScreenshot(
      `panel-${theme.endsWith('Dark') ? 'dark' : 'light'}.png`,
      {
        mask: [
          panel.locator('.jp-memlens-facts'),
          panel.locator('.jp-memlens-chart'),
          panel.locator('.jp-memlens-size'),
          panel.locator('.jp-memlens-summary'),
          panel.locator('.jp-memlens-gc-facts'),
          panel.locator('.jp-memlens-notebook')
        ],
        maskColor: 'var(--jp-layout-color3)',
        maxDiffPixelRatio: 0.02
      }
    );
  });
}

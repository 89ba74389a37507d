import { expect, test } from '@jupyterlab/galata';
import { openPanel, refresh, row, run } from './helpers';

const THEMES = [
  { name: 'JupyterLab Light', slug: 'light' },
  { name: 'JupyterLab Dark', slug: 'dark' }
];

for (const theme of THEMES) {
  test(`panel snapshot in ${theme.name}`, async ({ page }) => {
    await page.theme.setTheme(theme.name);
    await page.notebook.createNew('demo.ipynb');
    await openPanel(page);
    await run(
      page,
      "import numpy as np\nimport pandas as pd\nraw = np.zeros((2_000, 5_000))\nsales = pd.DataFrame({'store': ['north', 'south'] * 500_000, 'units': range(1_000_000)})"
    );
    await run(page, 'sales');
    await run(
      page,
      'n = 3\nreport = ""\nfor i in range(n):\n    report += str(i)\nf = open("demo.txt", "w")'
    );
    await refresh(page);
    await expect(row(page, 'sales')).toBeVisible();
    const panel = page.locator('#memlens-panel');
    // Process numbers and the timeline move from run to run: mask them.
    await expect(panel).toHaveScreenshot(`panel-${theme.slug}.png`, {
      mask: [
        panel.locator('.jp-memlens-facts'),
        panel.locator('.jp-memlens-chart'),
        panel.locator('.jp-memlens-explain-title'),
        panel.locator('.jp-memlens-explain-bar'),
        panel.locator('.jp-memlens-part-size'),
        panel.locator('.jp-memlens-part-top'),
        panel.locator('.jp-memlens-size'),
        panel.locator('.jp-memlens-summary'),
        panel.locator('.jp-memlens-gc-facts'),
        panel.locator('.jp-memlens-notebook')
      ],
      maskColor: 'var(--jp-layout-color3)',
      maxDiffPixelRatio: 0.03
    });
  });
}

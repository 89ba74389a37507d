import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
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
      'report = ""\nfor i in range(3):\n    report += str(i)\nf = open("demo.txt", "w")'
    );
    await refresh(page);
    await expect(row(page, 'sales')).toBeVisible();
    const panel = page.locator('#memlens-panel');
    // Process numbers and the timeline move from run to run: mask them.
    await expect(panel).toHaveScreenshot(`panel-${theme.slug}.png`, {
      mask: [
        panel.locator('.jp-memlens-facts'),
        panel.locator('.jp-memlens-chart'),
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

// The README's pictures: the demo notebook with the panel, unmasked.
// Refresh them with MEMLENS_DOC_SCREENSHOTS=1 npx playwright test screenshots.
test.describe('documentation screenshots', () => {
  test.use({ viewport: { width: 1400, height: 860 } });

  for (const theme of THEMES) {
    test(`demo notebook in ${theme.name}`, async ({ page, tmpPath }) => {
      test.skip(
        !process.env.MEMLENS_DOC_SCREENSHOTS,
        'only when refreshing the README images'
      );
      await page.theme.setTheme(theme.name);
      await page.contents.uploadFile(
        path.resolve(__dirname, '../../examples/demo.ipynb'),
        `${tmpPath}/demo.ipynb`
      );
      await page.notebook.openByPath(`${tmpPath}/demo.ipynb`);
      await openPanel(page);
      await page.notebook.run();
      await refresh(page);
      await expect(row(page, 'raw')).toBeVisible();
      await page.notebook.selectCells(8);
      await page.locator('.jp-Cell').nth(8).scrollIntoViewIfNeeded();
      await page.screenshot({
        path: path.resolve(
          __dirname,
          `../../docs/images/memlens-${theme.slug}.png`
        )
      });
    });
  }
});

/**
 * The README's screenshots, made from examples/demo.ipynb (seeded, so the
 * numbers are real and stable). One entry per image: add a shot by adding an
 * entry. Run with `make screenshots`; images land in docs/images/.
 */
import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import * as path from 'path';
import { openPanel, refresh, row } from '../tests/helpers';

interface IShot {
  /** File name in docs/images/, without `.png`. */
  name: string;
  theme: 'JupyterLab Light' | 'JupyterLab Dark';
  /** Width of the right sidebar holding the panel, in CSS pixels. */
  panelWidth: number;
  /** The whole window, or the panel alone. */
  target: 'window' | 'panel';
  /** Notebook cell (0-based) to select and scroll to before the shot. */
  cell?: number;
  /**
   * Instead of the demo: code run in a new notebook (with **Profile Cell
   * Memory** when `profile`), then this selector shot (`target: 'panel'`)
   * or the window.
   */
  setup?: {
    code: string;
    teardown: string;
    selector: string;
    profile?: boolean;
  };
}

// A small dask cluster holding ~80 MB on two in-process workers.
const CLUSTER = {
  code: [
    'import dask.array as da',
    'from distributed import Client, LocalCluster, wait',
    'cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False,',
    '                       memory_limit="1GiB", dashboard_address="127.0.0.1:0")',
    'client = Client(cluster)',
    'x = da.random.random(10_000_000, chunks=1_000_000).persist()',
    'wait(x)'
  ].join('\n'),
  teardown: 'client.close(); cluster.close()',
  selector: '#memlens-panel .jp-memlens-section-cluster'
};

// A cell whose lines allocate, temporaries included, profiled line by line.
const PROFILE = {
  code: [
    'import numpy as np, pandas as pd',
    'prices = np.random.default_rng(0).random(5_000_000)',
    'returns = np.diff(np.log(prices))',
    'table = pd.DataFrame({"price": prices[1:], "ret": returns})',
    'summary = table.describe()',
    'del prices'
  ].join('\n'),
  teardown: 'del table, returns',
  selector: '.jp-memlens-line-profile',
  profile: true
};

const SHOTS: IShot[] = [
  {
    name: 'memlens-light',
    theme: 'JupyterLab Light',
    panelWidth: 440,
    target: 'window',
    cell: 8
  },
  {
    name: 'memlens-dark',
    theme: 'JupyterLab Dark',
    panelWidth: 440,
    target: 'window',
    cell: 8
  },
  {
    name: 'memlens-panel-narrow',
    theme: 'JupyterLab Light',
    // JupyterLab's default sidebar width
    panelWidth: 250,
    target: 'panel'
  },
  {
    name: 'memlens-panel-wide',
    theme: 'JupyterLab Dark',
    panelWidth: 600,
    target: 'panel'
  },
  {
    name: 'memlens-cluster-light',
    theme: 'JupyterLab Light',
    panelWidth: 440,
    target: 'panel',
    setup: CLUSTER
  },
  {
    name: 'memlens-cluster-dark',
    theme: 'JupyterLab Dark',
    panelWidth: 440,
    target: 'panel',
    setup: CLUSTER
  },
  {
    name: 'memlens-profile-light',
    theme: 'JupyterLab Light',
    panelWidth: 440,
    target: 'window',
    setup: PROFILE
  }
];

const IMAGES = path.resolve(__dirname, '../../docs/images');
const DEMO = path.resolve(__dirname, '../../examples/demo.ipynb');

/**
 * Give the right sidebar `width` pixels. The shell's horizontal split panel
 * (left sidebar, main area, right sidebar) is not public API: a screenshot
 * maintenance script may use it, tests must not.
 */
async function setPanelWidth(
  page: IJupyterLabPageFixture,
  width: number
): Promise<void> {
  await page.evaluate(wanted => {
    const shell = window.jupyterapp.shell as unknown as {
      _hsplitPanel: {
        node: HTMLElement;
        relativeSizes(): number[];
        setRelativeSizes(sizes: number[]): void;
      };
    };
    const split = shell._hsplitPanel;
    const total = split.node.clientWidth;
    const sizes = split.relativeSizes();
    const left = (sizes[0] ?? 0) * total;
    split.setRelativeSizes([left, total - left - wanted, wanted]);
  }, width);
  await page.waitForTimeout(300);
}

test.describe('README screenshots', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  for (const shot of SHOTS) {
    test(shot.name, async ({ page, tmpPath }) => {
      await page.theme.setTheme(shot.theme);
      if (shot.setup) {
        await page.notebook.createNew(`${shot.name}.ipynb`);
        await openPanel(page);
        await setPanelWidth(page, shot.panelWidth);
        await page.notebook.setCell(0, 'code', shot.setup.code);
        if (shot.setup.profile) {
          await page.notebook.selectCells(0);
          await page.evaluate(() =>
            window.jupyterapp.commands.execute('memlens:profile-cell')
          );
        } else {
          await page.notebook.runCell(0);
        }
        const section = page.locator(shot.setup.selector).first();
        await expect(async () => {
          await refresh(page);
          await expect(section).toBeVisible({ timeout: 2000 });
        }).toPass({ timeout: 60000 });
        await page.waitForTimeout(3000); // managed bytes arrive with heartbeats
        await refresh(page);
        await page.waitForTimeout(1000);
        const file = path.join(IMAGES, `${shot.name}.png`);
        if (shot.target === 'panel') {
          await section.screenshot({ path: file });
        } else {
          await page.screenshot({ path: file });
        }
        await page.notebook.addCell('code', shot.setup.teardown);
        await page.notebook.runCell(1);
        return;
      }
      await page.contents.uploadFile(DEMO, `${tmpPath}/demo.ipynb`);
      await page.notebook.openByPath(`${tmpPath}/demo.ipynb`);
      await openPanel(page);
      await setPanelWidth(page, shot.panelWidth);
      // the timeline starts when the helper is loaded: let it connect first
      await expect(
        page.locator('#memlens-panel .jp-memlens-helper')
      ).toContainText('memlens-kernel', { timeout: 60000 });
      await page.notebook.run();
      await refresh(page);
      await expect(row(page, 'sales')).toBeVisible();
      // Let the last answer and the timeline settle.
      await page.waitForTimeout(1000);
      const file = path.join(IMAGES, `${shot.name}.png`);
      if (shot.cell !== undefined) {
        await page.notebook.selectCells(shot.cell);
        await page.locator('.jp-Cell').nth(shot.cell).scrollIntoViewIfNeeded();
      }
      if (shot.target === 'panel') {
        await page.locator('#memlens-panel').screenshot({ path: file });
      } else {
        await page.screenshot({ path: file });
      }
    });
  }
});

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
}

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
    panelWidth: 300,
    target: 'panel'
  },
  {
    name: 'memlens-panel-wide',
    theme: 'JupyterLab Dark',
    panelWidth: 600,
    target: 'panel'
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
    test(shot.name, async ({ page }) => {
      await page.theme.setTheme(shot.theme);
      // At the server's root, so the panel header reads "demo.ipynb".
      await page.contents.uploadFile(DEMO, 'demo.ipynb');
      await page.notebook.openByPath('demo.ipynb');
      await openPanel(page);
      await setPanelWidth(page, shot.panelWidth);
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

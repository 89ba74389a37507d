import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { openPanel, refresh, row, run } from './helpers';

const NAME = 'a_rather_long_variable_name_for_the_layout_check';

/** Drag the right sidebar's split handle so the panel is `width` px wide. */
async function resizePanel(
  page: IJupyterLabPageFixture,
  width: number
): Promise<void> {
  const panel = page.locator('#memlens-panel');
  for (let attempt = 0; attempt < 3; attempt++) {
    const box = await panel.boundingBox();
    if (!box || Math.abs(box.width - width) <= 2) {
      return;
    }
    // the handle sits just left of the right sidebar
    const x = box.x - 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + (box.width - width), y, { steps: 5 });
    await page.mouse.up();
  }
}

type Box = { x: number; y: number; width: number; height: number };

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width - 0.5 &&
  b.x < a.x + a.width - 0.5 &&
  a.y < b.y + b.height - 0.5 &&
  b.y < a.y + a.height - 0.5;

test.describe('memlens panel layout', () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  for (const width of [280, 440, 600]) {
    test(`a row reads well at ${width} px`, async ({ page }) => {
      await page.notebook.createNew();
      await openPanel(page);
      await run(
        page,
        `import numpy as np\n${NAME} = np.ones(8_000_000)\nalias_one = alias_two = alias_three = ${NAME}`
      );
      await run(page, NAME);
      await refresh(page);
      await expect(row(page, NAME)).toBeVisible();
      await resizePanel(page, width);
      const panelBox = (await page.locator('#memlens-panel').boundingBox())!;
      expect(Math.abs(panelBox.width - width)).toBeLessThanOrEqual(4);
      const target = row(page, NAME);
      const parts = {
        name: target.locator('.jp-memlens-name'),
        size: target.locator('.jp-memlens-size'),
        free: target.locator('.jp-memlens-free')
      };
      const boxes: Record<string, Box> = {};
      for (const [key, locator] of Object.entries(parts)) {
        await expect(locator).toBeVisible();
        boxes[key] = (await locator.boundingBox())!;
      }
      const badges = target.locator('.jp-memlens-badge');
      // Out[n] and three aliases: at most three badges, the rest in "+N"
      expect(await badges.count()).toBeLessThanOrEqual(3);
      await expect(target.locator('.jp-memlens-badge-more')).toHaveAttribute(
        'title',
        /Also held by/
      );
      const badgeBoxes: Box[] = [];
      for (let i = 0; i < (await badges.count()); i++) {
        const box = await badges.nth(i).boundingBox();
        if (box && box.width > 0) {
          badgeBoxes.push(box);
        }
      }
      const all = [...Object.values(boxes), ...badgeBoxes];
      for (const box of all) {
        expect(box.x).toBeGreaterThanOrEqual(panelBox.x - 0.5);
        expect(box.x + box.width).toBeLessThanOrEqual(
          panelBox.x + panelBox.width + 0.5
        );
      }
      for (let i = 0; i < all.length; i++) {
        for (let j = i + 1; j < all.length; j++) {
          expect(overlaps(all[i], all[j])).toBe(false);
        }
      }
      // the header (title, notebook name, refresh) stays inside too
      const refreshBox = (await page
        .locator('#memlens-panel .jp-memlens-refresh')
        .boundingBox())!;
      expect(refreshBox.x + refreshBox.width).toBeLessThanOrEqual(
        panelBox.x + panelBox.width + 0.5
      );
    });
  }
});

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

/** Elements of the panel that stick out of it, or of their own row. */
async function overflows(page: IJupyterLabPageFixture): Promise<string[]> {
  return page.evaluate(() => {
    const panel = document.querySelector('#memlens-panel')!;
    const edge = panel.getBoundingClientRect();
    const bad: string[] = [];
    const describe = (el: Element) =>
      `${el.className || el.tagName} "${(el.textContent ?? '').slice(0, 40)}"`;
    const selectors = [
      '.jp-memlens-row .jp-memlens-name',
      '.jp-memlens-row .jp-memlens-size',
      '.jp-memlens-row .jp-memlens-free',
      '.jp-memlens-row .jp-memlens-badge',
      '.jp-memlens-fact',
      '.jp-memlens-refresh'
    ];
    for (const el of panel.querySelectorAll(selectors.join(', '))) {
      const box = el.getBoundingClientRect();
      if (box.width === 0) {
        continue;
      }
      if (box.left < edge.left - 0.5 || box.right > edge.right + 0.5) {
        bad.push(`${describe(el)} outside the panel`);
      }
    }
    // a row's meta line (type, shape, holder badges) keeps inside the row
    for (const meta of panel.querySelectorAll('.jp-memlens-meta')) {
      if (meta.scrollWidth > meta.clientWidth + 1) {
        bad.push(`${describe(meta)} wider than its row`);
      }
      const row = meta.closest('.jp-memlens-row')!.getBoundingClientRect();
      for (const badge of meta.querySelectorAll('.jp-memlens-badge')) {
        const box = badge.getBoundingClientRect();
        if (box.width > 0 && box.right > row.right + 0.5) {
          bad.push(`${describe(badge)} cut at the row's edge`);
        }
      }
    }
    // "RSS 295.4 MiB": label and value on one line
    for (const fact of panel.querySelectorAll('.jp-memlens-fact')) {
      const label = fact.querySelector('.jp-memlens-fact-label');
      const value = fact.querySelector('.jp-memlens-fact-value');
      if (label && value) {
        const a = label.getBoundingClientRect();
        const b = value.getBoundingClientRect();
        if (Math.abs(a.top - b.top) > 2 || b.bottom - b.top > a.height * 1.5) {
          bad.push(`${describe(fact)} wraps`);
        }
      }
    }
    return bad;
  });
}

test.describe('memlens panel layout', () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  const cases: [number, 'light' | 'dark'][] = [
    // JupyterLab's default and minimum sidebar width (--jp-sidebar-min-width)
    [250, 'light'],
    [250, 'dark'],
    [440, 'light'],
    [800, 'light'],
    [800, 'dark']
  ];
  for (const [width, theme] of cases) {
    test(`every row fits at ${width} px (${theme})`, async ({ page }) => {
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      await page.notebook.createNew();
      await openPanel(page);
      // a displayed 60 MB array (holders Out[n], _, _n) and a long name
      // with three aliases (badges collapse into "+N")
      await run(page, `import numpy as np\nsales = np.ones(7_500_000)`);
      await run(page, 'sales');
      await run(
        page,
        `${NAME} = np.ones(8_000_000)\nalias_one = alias_two = alias_three = ${NAME}`
      );
      await run(page, NAME);
      await refresh(page);
      await expect(row(page, NAME)).toBeVisible();
      await expect(row(page, 'sales')).toBeVisible();
      await expect(
        row(page, 'sales').locator('.jp-memlens-badge', { hasText: /^Out\[/ })
      ).toBeVisible();
      await expect(
        page.locator('#memlens-panel .jp-memlens-rss')
      ).toBeVisible();
      await resizePanel(page, width);
      const panelBox = (await page.locator('#memlens-panel').boundingBox())!;
      expect(Math.abs(panelBox.width - width)).toBeLessThanOrEqual(4);

      expect(await overflows(page)).toEqual([]);

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
      // a long name ellipsizes and keeps the full name in its tooltip
      await expect(parts.name).toHaveAttribute('title', NAME);
      if (width === 250) {
        expect(
          await parts.name.evaluate(el => el.scrollWidth > el.clientWidth)
        ).toBe(true);
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
      for (let i = 0; i < all.length; i++) {
        for (let j = i + 1; j < all.length; j++) {
          expect(overlaps(all[i], all[j])).toBe(false);
        }
      }
    });
  }
});

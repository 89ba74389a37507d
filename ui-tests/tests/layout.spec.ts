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

/**
 * Elements of the panel that stick out of it or of their row, and facts or
 * sizes whose unit went to a second line. Every element is measured: a
 * badge clipped by its row's `overflow: hidden` still has its full box.
 */
async function overflows(page: IJupyterLabPageFixture): Promise<string[]> {
  return page.evaluate(() => {
    const panel = document.querySelector('#memlens-panel')!;
    const edge = panel.getBoundingClientRect();
    const bad: string[] = [];
    const describe = (el: Element) =>
      `${el.getAttribute('class') || el.tagName} "${(el.textContent ?? '').slice(0, 40)}"`;
    const shown = (el: Element) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 ? box : null;
    };
    for (const el of panel.querySelectorAll('*')) {
      const box = shown(el);
      if (box && (box.left < edge.left - 0.5 || box.right > edge.right + 0.5)) {
        bad.push(`${describe(el)} outside the panel`);
      }
    }
    for (const row of panel.querySelectorAll('.jp-memlens-row')) {
      const rowBox = row.getBoundingClientRect();
      for (const el of row.querySelectorAll('*')) {
        const box = shown(el);
        if (
          box &&
          (box.left < rowBox.left - 0.5 ||
            box.right > rowBox.right + 0.5 ||
            box.top < rowBox.top - 0.5 ||
            box.bottom > rowBox.bottom + 0.5)
        ) {
          bad.push(`${describe(el)} outside its row`);
        }
      }
    }
    // "RSS 295.4 MiB": one line box per value, label and value side by side
    const oneLine = (el: Element) =>
      new Set([...el.getClientRects()].map(rect => Math.round(rect.top)))
        .size <= 1;
    for (const fact of panel.querySelectorAll('.jp-memlens-fact')) {
      const label = fact.querySelector('.jp-memlens-fact-label');
      const value = fact.querySelector('.jp-memlens-fact-value');
      if (!oneLine(fact) || (value && !oneLine(value))) {
        bad.push(`${describe(fact)} wraps`);
      } else if (label && value) {
        const a = label.getBoundingClientRect();
        const b = value.getBoundingClientRect();
        if (Math.abs(a.top - b.top) > 2) {
          bad.push(`${describe(fact)} puts its value under its label`);
        }
      }
    }
    for (const size of panel.querySelectorAll(
      '.jp-memlens-row .jp-memlens-size'
    )) {
      if (!oneLine(size) || size.getBoundingClientRect().height > 24) {
        bad.push(`${describe(size)} wraps`);
      }
    }
    return bad;
  });
}

test.describe('memlens panel layout', () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  const cases: [number, 'light' | 'dark'][] = [
    // below JupyterLab's floor: shells and themes that lower
    // --jp-sidebar-min-width let the sidebar shrink to 200 px
    [200, 'light'],
    [200, 'dark'],
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
      if (width < 250) {
        // on body, so that it wins over the theme's :root value; the
        // sidebar re-reads its floor when it is shown again
        await page.addStyleTag({
          content: `body { --jp-sidebar-min-width: ${width}px; }`
        });
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
      if (width < 250) {
        await page.sidebar.close('right');
        await openPanel(page);
      }
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
      if (width <= 250) {
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

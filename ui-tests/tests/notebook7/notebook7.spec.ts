/**
 * memlens in Jupyter Notebook 7: the panel in the notebook page's right
 * sidebar, opened from the View menu; a size, free, a cell warning with its
 * fix and a per-line profile, as in JupyterLab.
 */
import { expect } from '@jupyterlab/galata';
import { parseSize } from '../helpers';
import {
  cells,
  cellSource,
  openNotebook,
  run,
  setCell,
  test
} from './notebook';

test.use({ autoGoto: false });

const panel = '#jp-right-stack #memlens-panel';

test.describe('memlens in Jupyter Notebook 7', () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath);
  });

  test('View → memlens panel opens the panel: a size within 10%, and free', async ({
    page
  }) => {
    const errors: string[] = [];
    page.on('console', message => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    // no plugin waits for a JupyterLab-only token (status bar, layout...)
    const inactive = await page.evaluate(() =>
      window.jupyterapp
        .listPlugins()
        .filter(id => id.startsWith('jupyterlab-memlens:'))
        .filter(id => !window.jupyterapp.isPluginActivated(id))
    );
    expect(inactive).toEqual([]);

    await page.menu.clickMenuItem('View>memlens panel');
    await expect(page.locator(panel)).toBeVisible();
    // Notebook 7 keeps its right sidebar narrow: the panel fits in it
    await expect
      .poll(() =>
        page.locator(panel).evaluate(node => {
          const area = node.parentElement!.getBoundingClientRect();
          const box = node.getBoundingClientRect();
          const inside = (el: Element) => {
            const b = el.getBoundingClientRect();
            return b.width === 0 || b.right <= box.right + 0.5;
          };
          return {
            inArea:
              box.left >= area.left - 0.5 && box.right <= area.right + 0.5,
            inWindow: box.right <= window.innerWidth + 0.5,
            outside: [...node.querySelectorAll('*')]
              .filter(el => !inside(el))
              .map(el => el.className)
          };
        })
      )
      .toEqual({ inArea: true, inWindow: true, outside: [] });

    await run(page, 0, 'import numpy as np\narr = np.ones(25_000_000)');
    const arr = page.locator(`${panel} [data-memlens-variable="arr"]`);
    await expect(arr).toBeVisible();
    const size = parseSize(await arr.locator('.jp-memlens-size').innerText());
    expect(Math.abs(size - 200_000_000) / 200_000_000).toBeLessThan(0.1);

    await arr.locator('.jp-memlens-free').click();
    await expect(arr).toHaveCount(0);
    const result = page.locator(`${panel} .jp-memlens-free-result`);
    await expect(result).toContainText('Freed');
    expect(parseSize(await result.innerText())).toBeGreaterThan(150 * 2 ** 20);
    expect((await run(page, 1, "print('arr' in globals())")).trim()).toBe(
      'False'
    );

    // the entry is checked while the panel shows; a second click folds it
    await page.menu.open('View');
    await expect(
      page.locator('.lm-Menu-item.lm-mod-toggled', {
        hasText: 'memlens panel'
      })
    ).toBeVisible();
    await page.keyboard.press('Escape');
    await page.menu.clickMenuItem('View>memlens panel');
    await expect(page.locator(panel)).toBeHidden();
    expect(errors.filter(text => /memlens/i.test(text))).toEqual([]);
  });

  test('a cell warning shows in the editor and its fix applies', async ({
    page
  }) => {
    await setCell(page, 0, 'f = open("x.txt")');
    const mark = cells(page).first().locator('.cm-lintRange-warning');
    await expect(mark).toBeVisible();
    const tooltip = page.locator('.cm-tooltip-hover .cm-diagnostic', {
      hasText: /^ML601/
    });
    // The hover tooltip closes when the pointer leaves it: hover, then click.
    await expect(async () => {
      await mark.hover();
      await expect(tooltip).toBeVisible({ timeout: 2000 });
      await tooltip
        .locator('.cm-diagnosticAction')
        .first()
        .click({ timeout: 2000 });
    }).toPass({ timeout: 30000 });
    await expect
      .poll(() => cellSource(page, 0))
      .toBe('with open("x.txt") as f:\n    ...');
  });

  test('profiles a cell line by line', async ({ page }) => {
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('memlens:open-panel');
    });
    await run(page, 0, 'import numpy as np');
    await expect(page.locator(`${panel} .jp-memlens-helper`)).toContainText(
      'memlens-kernel'
    );
    await setCell(
      page,
      1,
      'a = np.ones(10_000_000)\nb = (np.ones(10_000_000) + np.ones(10_000_000)).sum()'
    );
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('memlens:profile-cell');
    });
    const line = (n: number) =>
      cells(page)
        .nth(1)
        .locator(`.jp-memlens-line-profile[data-memlens-line="${n}"]`);
    await expect(line(1)).toBeVisible({ timeout: 30000 });
    const first = parseSize(await line(1).innerText());
    expect(Math.abs(first - 80e6) / 80e6).toBeLessThan(0.1);
    const second = await line(2).innerText();
    const peak = /peak (.*)$/.exec(second.split(' · ')[1] ?? '')?.[1] ?? '';
    expect(Math.abs(parseSize(peak) - 160e6) / 160e6).toBeLessThan(0.1);
    await expect(
      page.locator(`${panel} .jp-memlens-profile .jp-memlens-profile-line`)
    ).toHaveCount(2);
  });
});

import { expect, test } from '@jupyterlab/galata';
import { openPanel, parseSize, place, run } from './helpers';

const MiB = 2 ** 20;
const PROFILED =
  'a = np.ones(10_000_000)\n' +
  'b = (np.ones(10_000_000) + np.ones(10_000_000)).sum()\n' +
  'c = 1';

/** The line-profile mark of `line` in the editor of cell `index`. */
function mark(
  page: import('@jupyterlab/galata').IJupyterLabPageFixture,
  index: number,
  line: number
) {
  return page
    .locator('.jp-Notebook .jp-Cell')
    .nth(index)
    .locator(`.jp-memlens-line-profile[data-memlens-line="${line}"]`);
}

test.describe('memlens per-line memory profile', () => {
  test.beforeEach(async ({ page }) => {
    await page.notebook.createNew();
    await openPanel(page);
    // the helper connects once the kernel is idle
    await run(page, 'import numpy as np');
    await expect(
      page.locator('#memlens-panel .jp-memlens-helper')
    ).toContainText('memlens-kernel');
  });

  test('profiles the active cell, marks its lines and clears them on edit', async ({
    page
  }) => {
    const cell = await place(page, PROFILED);
    await page.notebook.selectCells(cell);
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('memlens:profile-cell');
    });
    await expect(mark(page, cell, 1)).toBeVisible({ timeout: 30000 });
    const first = await mark(page, cell, 1).innerText();
    expect(Math.abs(parseSize(first) - 80e6) / 80e6).toBeLessThan(0.1);
    const second = await mark(page, cell, 2).innerText();
    const peak = /peak (.*)$/.exec(second.split(' · ')[1] ?? '')?.[1] ?? '';
    expect(Math.abs(parseSize(peak) - 160e6) / 160e6).toBeLessThan(0.1);
    expect(parseSize(second.split(' · ')[0])).toBeLessThan(1 * MiB);
    await expect(mark(page, cell, 3)).toHaveCount(0);

    // the panel lists the cell's lines, biggest peak first, and the
    // timeline rings the profiled run
    const section = page.locator(
      '#memlens-panel .jp-memlens-profile .jp-memlens-profile-line'
    );
    await expect(section.first()).toHaveAttribute(
      'data-memlens-profile-line',
      '2'
    );
    await expect(
      page.locator('#memlens-panel .jp-memlens-timeline-profiled')
    ).toHaveCount(1);

    // any edit of the cell removes the marks
    await page.notebook.enterCellEditingMode(cell);
    await page.keyboard.press('End');
    await page.keyboard.type('0');
    await expect(
      page
        .locator('.jp-Notebook .jp-Cell')
        .nth(cell)
        .locator('.jp-memlens-line-profile')
    ).toHaveCount(0);
  });

  test('runs from the cell toolbar and jumps to a line from the panel', async ({
    page
  }) => {
    // the cell toolbar hides when it would cover code: give the cell room
    await page.sidebar.close('left');
    await run(page, 'def make(n):\n    return [float(i) for i in range(n)]');
    const cell = await place(page, 'x = 1\nkeep = make(500_000)');
    await page.notebook.selectCells(cell);
    await page
      .locator('.jp-Notebook .jp-Cell')
      .nth(cell)
      .locator('.jp-cell-toolbar [data-command="memlens:profile-cell"]')
      .click();
    await expect(mark(page, cell, 2)).toBeVisible({ timeout: 30000 });
    // a list of 500,000 floats: 4 MB of pointers and 12 MB of floats
    const net = parseSize(await mark(page, cell, 2).innerText());
    expect(Math.abs(net - 16e6) / 16e6).toBeLessThan(0.15);
    await page
      .locator('#memlens-panel [data-memlens-profile-line="2"]')
      .first()
      .click();
    await expect
      .poll(() =>
        page.evaluate(() => {
          const panel = window.jupyterapp.shell.currentWidget as unknown as {
            content: {
              activeCellIndex: number;
              activeCell: { editor: { getCursorPosition(): { line: number } } };
            };
          };
          return [
            panel.content.activeCellIndex,
            panel.content.activeCell.editor.getCursorPosition().line
          ];
        })
      )
      .toEqual([cell, 1]);
  });

  test('is in the cell context menu and on Alt+Shift+M', async ({ page }) => {
    const cell = await place(page, 'y = np.ones(2_000_000)');
    await page.notebook.selectCells(cell);
    const cellNode = page.locator('.jp-Notebook .jp-Cell').nth(cell);
    await cellNode.locator('.jp-InputArea-editor').click({ button: 'right' });
    // the default command's entry (the sampled one's label starts alike)
    const item = page.locator(
      '.lm-Menu-item[data-command="memlens:profile-cell"]'
    );
    await expect(item).toBeVisible();
    await expect(item).toContainText('Profile Cell Memory');
    await page.keyboard.press('Escape');
    const bindings = await page.evaluate(() =>
      window.jupyterapp.commands.keyBindings
        .filter(binding => binding.command === 'memlens:profile-cell')
        .map(binding => binding.keys.join(' '))
    );
    expect(bindings).toContain('Alt Shift M');
    await page.notebook.enterCellEditingMode(cell);
    await page.keyboard.press('Alt+Shift+M');
    await expect(mark(page, cell, 1)).toBeVisible({ timeout: 30000 });
    expect(
      Math.abs(parseSize(await mark(page, cell, 1).innerText()) - 16e6) / 16e6
    ).toBeLessThan(0.1);
  });
});

import { expect, test } from '@jupyterlab/galata';
import { openPanel } from './helpers';

test.describe('memlens cell warnings', () => {
  test('ML601 quick fix applies and Ctrl+Z restores the cell', async ({
    page
  }) => {
    await page.notebook.createNew();
    await page.notebook.setCell(0, 'code', 'f = open("x.txt")');
    const mark = page.locator('.jp-Cell .cm-lintRange-warning').first();
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
      .poll(() => page.notebook.getCellTextInput(0))
      .toBe('with open("x.txt") as f:\n    ...');
    await page.notebook.enterCellEditingMode(0);
    await page.keyboard.press('Control+z');
    await expect
      .poll(() => page.notebook.getCellTextInput(0))
      .toBe('f = open("x.txt")');
  });

  test('a finding follows its cell when cells are inserted above it', async ({
    page
  }) => {
    await page.notebook.createNew();
    await page.notebook.setCell(0, 'code', 'f = open("x.txt")');
    await expect(
      page.locator('.jp-Cell').nth(0).locator('.cm-lintRange-warning')
    ).toBeVisible();
    await openPanel(page);
    // two cells above it, through the shared model (as a collaborator would)
    await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content: {
          model: {
            sharedModel: {
              insertCells(index: number, cells: object[]): void;
            };
          };
        };
      };
      panel.content.model.sharedModel.insertCells(0, [
        { cell_type: 'code', source: 'a = 1' },
        { cell_type: 'markdown', source: '# notes' }
      ]);
    });
    const moved = page.locator('.jp-Cell').nth(2);
    await expect(moved.locator('.cm-lintRange-warning')).toBeVisible();
    await expect(page.locator('.jp-Cell .cm-lintRange-warning')).toHaveCount(1);
    // the panel names it by its new place and jumps there
    const jump = page.locator('#memlens-panel .jp-memlens-jump', {
      hasText: 'cell 3, line 1'
    });
    await expect(jump).toBeVisible();
    await page.notebook.selectCells(0);
    await jump.click();
    await expect(moved).toHaveClass(/jp-mod-active/);
    // and its quick fix edits that cell, not the one at its old index
    const mark = moved.locator('.cm-lintRange-warning');
    const tooltip = page.locator('.cm-tooltip-hover .cm-diagnostic', {
      hasText: /^ML601/
    });
    await expect(async () => {
      await mark.hover();
      await expect(tooltip).toBeVisible({ timeout: 2000 });
      await tooltip
        .locator('.cm-diagnosticAction')
        .first()
        .click({ timeout: 2000 });
    }).toPass({ timeout: 30000 });
    await expect
      .poll(() => page.notebook.getCellTextInput(2))
      .toBe('with open("x.txt") as f:\n    ...');
    expect(await page.notebook.getCellTextInput(0)).toBe('a = 1');
  });

  test('a syntax error elsewhere in the notebook does not stop the analysis', async ({
    page
  }) => {
    await page.notebook.createNew();
    await page.notebook.setCell(0, 'code', 'def broken(:\n    pass');
    await page.notebook.addCell(
      'code',
      'total = sum([x * x for x in range(10)])'
    );
    await expect(page.locator('.jp-Cell .cm-lintRange-info')).toHaveCount(1);
  });

  test('ML201 offers del in the kernel and it frees the variable', async ({
    page
  }) => {
    await page.notebook.createNew();
    await page.notebook.setCell(
      0,
      'code',
      'import numpy as np\nbig = np.zeros(20_000_000)\nfirst = big[:10].copy()'
    );
    await page.notebook.runCell(0);
    await page.notebook.setCell(1, 'code', 'print(first.sum())');
    await page.notebook.runCell(1);
    await page.notebook.setCell(2, 'code', 'print("done")');
    const mark = page
      .locator('.jp-Cell')
      .first()
      .locator('.cm-lintRange-info', { hasText: 'big' });
    await expect(mark).toBeVisible();
    const tooltip = page.locator('.cm-tooltip-hover .cm-diagnostic', {
      hasText: /^ML201/
    });
    await expect(async () => {
      await mark.hover();
      await expect(tooltip).toBeVisible({ timeout: 2000 });
      await tooltip.getByText('del big in the kernel').click({ timeout: 2000 });
    }).toPass({ timeout: 30000 });
    await expect(
      page.locator('.jp-toast-message', { hasText: /Freed .* \(del big/ })
    ).toBeVisible();
    await page.notebook.setCell(2, 'code', "print('big' in globals())");
    await page.notebook.runCell(2);
    expect(
      ((await page.notebook.getCellTextOutput(2)) ?? []).join('').trim()
    ).toBe('False');
  });
});

/**
 * Galata in Jupyter Notebook 7: Galata's `page.notebook` helpers look for
 * JupyterLab's tabs, which Notebook 7 does not have, so these drive the one
 * notebook of the page through `window.jupyterapp` (the notebook model and
 * the `notebook:*` commands, as a user's keys would).
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test as base } from '@jupyterlab/galata';

/** Galata's fixtures, waiting for Notebook 7's page instead of JupyterLab's. */
export const test = base.extend({
  waitForApplication: async ({ baseURL }, use) => {
    await use(async page => {
      await page.waitForSelector('#main-panel');
    });
  }
});

/** The cells of the notebook page. */
export function cells(page: IJupyterLabPageFixture) {
  return page.locator('.jp-NotebookPanel .jp-Notebook .jp-Cell');
}

/**
 * Create `memlens.ipynb` (one empty code cell, python3) in the test's
 * folder, open it in Notebook 7 and wait until its kernel is idle.
 */
export async function openNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string
): Promise<void> {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3' }
    },
    cells: [
      {
        id: 'first',
        cell_type: 'code',
        source: '',
        metadata: {},
        outputs: [],
        execution_count: null
      }
    ]
  };
  const path = `${tmpPath}/memlens.ipynb`;
  await page.contents.uploadContent(JSON.stringify(notebook), 'text', path);
  await page.goto(`notebooks/${path}`);
  await expect(cells(page)).toHaveCount(1);
  await page.waitForFunction(() => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      sessionContext?: { session?: { kernel?: { status: string } | null } };
    } | null;
    return panel?.sessionContext?.session?.kernel?.status === 'idle';
  });
}

/**
 * Put `source` in cell `index` (adding code cells up to it), make it the
 * active cell, and return its index.
 */
export async function setCell(
  page: IJupyterLabPageFixture,
  index: number,
  source: string
): Promise<number> {
  await page.evaluate(
    ({ index, source }) => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content: {
          activeCellIndex: number;
          deselectAll(): void;
          model: {
            cells: {
              length: number;
              get(i: number): {
                sharedModel: { setSource(text: string): void };
              };
            };
            sharedModel: {
              insertCell(i: number, cell: { cell_type: string }): void;
            };
          };
        };
      };
      const model = panel.content.model;
      while (model.cells.length <= index) {
        model.sharedModel.insertCell(model.cells.length, {
          cell_type: 'code'
        });
      }
      model.cells.get(index).sharedModel.setSource(source);
      panel.content.activeCellIndex = index;
      panel.content.deselectAll();
    },
    { index, source }
  );
  return index;
}

/** Run cell `index` alone, wait until it finished, return its text output. */
export async function runCell(
  page: IJupyterLabPageFixture,
  index: number
): Promise<string> {
  await page.evaluate(async index => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: { activeCellIndex: number; deselectAll(): void };
    };
    panel.content.activeCellIndex = index;
    panel.content.deselectAll();
    await window.jupyterapp.commands.execute('notebook:run-cell');
  }, index);
  return await cells(page).nth(index).locator('.jp-OutputArea').innerText();
}

/** Put `source` in cell `index`, run it and return its text output. */
export async function run(
  page: IJupyterLabPageFixture,
  index: number,
  source: string
): Promise<string> {
  await setCell(page, index, source);
  return runCell(page, index);
}

/** The text of cell `index`. */
export async function cellSource(
  page: IJupyterLabPageFixture,
  index: number
): Promise<string> {
  return page.evaluate(index => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: {
        model: {
          cells: { get(i: number): { sharedModel: { getSource(): string } } };
        };
      };
    };
    return panel.content.model.cells.get(index).sharedModel.getSource();
  }, index);
}

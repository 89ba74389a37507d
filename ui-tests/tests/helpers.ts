import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect } from '@jupyterlab/galata';

const UNITS: Record<string, number> = {
  B: 1,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40
};

/** Parse a size shown by the panel (`≈191.0 MiB`) back into bytes. */
export function parseSize(text: string): number {
  const match = /([\d.]+)\s*(B|KiB|MiB|GiB|TiB)/.exec(text.replace('≈', ''));
  if (!match) {
    throw new Error(`not a size: ${text}`);
  }
  return Number(match[1]) * UNITS[match[2]];
}

/** Open the memlens panel through its command. */
export async function openPanel(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('memlens:open-panel');
  });
  await expect(page.locator('#memlens-panel')).toBeVisible();
}

/**
 * Put `source` in the last code cell when it is empty (or a new one at the
 * end) and return its index.
 */
export async function place(
  page: IJupyterLabPageFixture,
  source: string
): Promise<number> {
  const count = await page.locator('.jp-Notebook .jp-Cell').count();
  const last = count - 1;
  if ((await page.notebook.getCellTextInput(last)) === '') {
    await page.notebook.setCell(last, 'code', source);
    return last;
  }
  await page.notebook.addCell('code', source);
  return count;
}

/**
 * Put `source` in the last empty code cell (or a new one at the end), run
 * it, wait until it finished, and return its text output.
 */
export async function run(
  page: IJupyterLabPageFixture,
  source: string
): Promise<string> {
  const index = await place(page, source);
  await page.notebook.runCell(index);
  return ((await page.notebook.getCellTextOutput(index)) ?? []).join('\n');
}

/** Locator of a variable row in the panel. */
export function row(page: IJupyterLabPageFixture, name: string) {
  return page.locator(`#memlens-panel [data-memlens-variable="${name}"]`);
}

/** Ask the panel for fresh facts. */
export async function refresh(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('memlens:refresh');
  });
}

/** The memlens settings plugin (schema/settings/plugin.json). */
const MEMLENS_SETTINGS = 'jupyterlab-memlens:plugin';

/**
 * Set memlens settings through JupyterLab's setting registry, as the
 * settings editor does (null: back to the default).
 */
export async function setSettings(
  page: IJupyterLabPageFixture,
  values: Record<string, unknown>
): Promise<void> {
  await page.evaluate(
    async ([plugin, settings]) => {
      const registry = await window.galata.getPlugin(
        '@jupyterlab/apputils-extension:settings'
      );
      for (const [key, value] of Object.entries(settings)) {
        if (value === null) {
          await registry!.remove(plugin, key);
        } else {
          await registry!.set(plugin, key, value as string);
        }
      }
    },
    [MEMLENS_SETTINGS, values] as const
  );
}

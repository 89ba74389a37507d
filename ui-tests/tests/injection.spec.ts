import { expect, test } from '@jupyterlab/galata';
import { openPanel, refresh, row, run } from './helpers';

// ui-tests/kernels/memlens-no-helper runs the same Python with the installed
// memlens-kernel hidden, like a kernel environment where nobody installed it.
test.describe('memlens in a kernel without the helper', () => {
  test('injects the helper, adds no names and works', async ({ page }) => {
    await page.notebook.createNew('injected.ipynb', {
      kernel: 'memlens-no-helper'
    });
    await openPanel(page);
    const hidden = await run(
      page,
      "import sys\nprint(any(p.rstrip('/').endswith('python-kernel-helper') for p in sys.path))\nblob = bytearray(30_000_000)"
    );
    expect(hidden.trim()).toBe('False');
    await refresh(page);
    await expect(row(page, 'blob')).toBeVisible();
    await expect(
      page.locator('#memlens-panel .jp-memlens-helper')
    ).toContainText('sent to this kernel by memlens');
    const names = await run(
      page,
      "print(sorted(n for n in globals() if 'memlens' in n.lower()))"
    );
    expect(names.trim()).toBe('[]');
  });
});

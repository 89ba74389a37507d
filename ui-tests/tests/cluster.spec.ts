import { expect, test } from '@jupyterlab/galata';
import { openPanel, parseSize, refresh, run } from './helpers';

const START = `
import dask.array as da
from distributed import Client, LocalCluster, wait
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                       memory_limit="1GiB", dashboard_address="127.0.0.1:0")
client = Client(cluster)
x = da.random.random(10_000_000, chunks=1_000_000).persist()  # 80 MB
wait(x)
print(" ".join(sorted(client.scheduler_info()["workers"])))
print(cluster.dashboard_link)
`;

test.describe('memlens Cluster section', () => {
  test.afterEach(async ({ page }) => {
    await run(page, 'client.close(); cluster.close()');
  });

  test('shows each dask worker in light and dark themes', async ({ page }) => {
    await page.notebook.createNew();
    await openPanel(page);
    const [workers, dashboard] = (await run(page, START)).trim().split('\n');
    const addresses = workers.split(' ');
    expect(dashboard).toMatch(/^http:\/\//);
    expect(addresses).toHaveLength(2);
    const section = page.locator('#memlens-panel .jp-memlens-section-cluster');
    for (const theme of ['JupyterLab Light', 'JupyterLab Dark']) {
      await page.theme.setTheme(theme);
      await openPanel(page);
      await refresh(page);
      await expect(section).toBeVisible();
      for (const address of addresses) {
        const worker = section.locator(`[data-memlens-worker="${address}"]`);
        await expect(worker).toBeVisible();
        await expect(worker.locator('.jp-memlens-cluster-bar')).toBeVisible();
        await expect(
          worker.locator('.jp-memlens-cluster-numbers')
        ).toContainText('/ 1.0 GiB');
      }
      await expect(section.locator('.jp-memlens-cluster-total')).toContainText(
        '2 workers'
      );
    }
    // the persisted array shows as managed memory (heartbeats lag ~1 s)
    await expect(async () => {
      await refresh(page);
      let managed = 0;
      for (const address of addresses) {
        const text = await section
          .locator(
            `[data-memlens-worker="${address}"] .jp-memlens-cluster-managed`
          )
          .getAttribute('title');
        managed += parseSize((text ?? '').split(': ')[1] ?? '0 B');
      }
      expect(Math.abs(managed - 80_000_000) / 80_000_000).toBeLessThan(0.15);
    }).toPass({ timeout: 20_000 });
    const link = section.locator('a.jp-memlens-cluster-dashboard');
    await expect(link).toHaveAttribute('href', dashboard);
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', /noopener/);
  });
});

/**
 * Galata configuration: two projects, each driving its own server in
 * Debian's Chromium (Playwright cannot download its own browsers on this kind
 * of machine):
 *
 * - `jupyterlab`: JupyterLab (`npm start`), the tests in tests/;
 * - `notebook7`: Jupyter Notebook 7 (`npm run start:notebook`), the tests in
 *   tests/notebook7/.
 *
 * `npx playwright test` runs both; `--project jupyterlab` or
 * `--project notebook7` runs one (both servers start either way).
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Several checkouts on one machine each run their own servers: the ports are
// MEMLENS_UI_PORT (JupyterLab, default 8888) and MEMLENS_NB_PORT (Notebook 7,
// default the next one).
const labPort = Number(process.env.MEMLENS_UI_PORT || 8888);
const notebookPort = Number(process.env.MEMLENS_NB_PORT || labPort + 1);

module.exports = {
  ...baseConfig,
  testDir: './tests',
  timeout: 120000,
  expect: { timeout: 20000 },
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [['list']],
  // Screenshots are named without the project (the JupyterLab ones predate
  // the projects).
  snapshotPathTemplate:
    '{testDir}/{testFileDir}/{testFileName}-snapshots/{arg}{-snapshotSuffix}{ext}',
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${labPort}`,
    // Video needs Playwright's own ffmpeg build, which cannot be downloaded here.
    video: 'off',
    launchOptions: {
      executablePath: process.env.MEMLENS_CHROMIUM || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic'
      ]
    }
  },
  projects: [
    { name: 'jupyterlab', testIgnore: '**/notebook7/**' },
    {
      name: 'notebook7',
      testDir: './tests/notebook7',
      // Notebook 7 serves its pages at the root (/tree, /notebooks/...).
      use: { baseURL: `http://localhost:${notebookPort}`, appPath: '' }
    }
  ],
  webServer: [
    {
      command: `npm start -- --ServerApp.port=${labPort}`,
      url: `http://localhost:${labPort}/lab`,
      timeout: 120 * 1000,
      reuseExistingServer: !process.env.CI
    },
    {
      command: `npm run start:notebook -- --ServerApp.port=${notebookPort}`,
      url: `http://localhost:${notebookPort}/tree`,
      timeout: 120 * 1000,
      reuseExistingServer: !process.env.CI
    }
  ]
};

/**
 * Galata configuration: JupyterLab is started by `npm start` (with the test
 * server config) and driven in Debian's Chromium, since Playwright cannot
 * download its own browsers on this kind of machine.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Several checkouts on one machine each run their own server: the port is
// MEMLENS_UI_PORT (default 8888).
const port = Number(process.env.MEMLENS_UI_PORT || 8888);

module.exports = {
  ...baseConfig,
  testDir: './tests',
  timeout: 120000,
  expect: { timeout: 20000 },
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [['list']],
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
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
  webServer: {
    command: `npm start -- --ServerApp.port=${port}`,
    url: `http://localhost:${port}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};

/**
 * Browser benchmarks (bench/ui/README.md): the panel with thousands of
 * variables, measured in the same server and browser as the tests. Not
 * part of `make test`; numbers go to bench/README.md.
 */
const testsConfig = require('./playwright.config');

module.exports = {
  ...testsConfig,
  // JupyterLab only
  projects: [{ name: 'jupyterlab' }],
  webServer: testsConfig.webServer[0],
  testDir: './bench',
  retries: 0,
  timeout: 600000
};

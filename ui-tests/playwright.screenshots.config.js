/**
 * `make screenshots`: the README images, from the demo notebook, unmasked
 * (real numbers), in docs/images/. Same server and browser as the tests.
 */
const testsConfig = require('./playwright.config');

module.exports = {
  ...testsConfig,
  // JupyterLab only
  projects: [{ name: 'jupyterlab' }],
  webServer: testsConfig.webServer[0],
  testDir: './screenshots',
  retries: 0
};

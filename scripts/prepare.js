// npm's `prepare` step: builds the `memlens` CLI (lib/cli.js, lib/node/).
// It runs after `npm ci` in a checkout and when npm installs the package from
// git — which is how pre-commit installs the hook. In that second case npm
// (as of npm 11) installs the clone's dependencies into the global prefix
// when the outer install is global (`npm install -g git+file://…`, what
// pre-commit runs), so the compiler is missing next to the sources: install
// the dependencies locally first.
const { execSync } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..');
const run = (command, env = {}) =>
  execSync(command, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env }
  });

let haveCompiler = true;
try {
  require.resolve('typescript', { paths: [root] });
  require.resolve('web-tree-sitter', { paths: [root] });
} catch {
  haveCompiler = false;
}
if (!haveCompiler) {
  run('npm install --no-save --ignore-scripts --no-audit --no-fund', {
    npm_config_global: 'false'
  });
}
run('npm run build:cli');

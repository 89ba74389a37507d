/**
 * Entry point of the `memlens` command line (see README.md, "In CI and pre-commit").
 *
 * Build note: the browser bundle needs lib/ as ES modules, but node runs the
 * CLI as CommonJS. So tsconfig.json (the ESM build) excludes this file and
 * src/cli/**; tsconfig.cli.json compiles them with src/analyzer/** as
 * CommonJS into lib/node/, and scripts/write-cli-shim.js writes lib/cli.js
 * (with the `#!/usr/bin/env node` shebang), which requires ./node/cli.js.
 * `npm run build:lib` (or `npm run build:cli`) does both.
 */
import { main } from './cli/main';

main(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true
}).then(
  code => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`memlens: internal error: ${String(error)}\n`);
    process.exitCode = 2;
  }
);

/**
 * Entry point of the `memlens` command line (CONTRACTS.md §1).
 *
 * Build note: the browser bundle needs lib/ as ES modules, but node runs the
 * CLI as CommonJS. So tsconfig.json (the ESM build) excludes this file and
 * src/cli/**; tsconfig.cli.json compiles them with src/analysis/** as
 * CommonJS into lib/node/, and scripts/write-cli-shim.js writes lib/cli.js,
 * which requires ./node/cli.js. `npm run build:lib` (or `npm run build:cli`)
 * does both. Node-only code (fs, process) belongs here or in src/cli/, never
 * in src/analysis/.
 *
 * TODO(analyzer-core owner): replace this placeholder with the real CLI.
 */
process.stderr.write('memlens: the CLI is not built yet\n');
process.exitCode = 2;

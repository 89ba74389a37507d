#!/usr/bin/env node
// Analyzer memory for one notebook, run in its own process by run.js (with
// --expose-gc): what the JS heap, the wasm heap (array buffers) and the
// process keep after a cold analysis, minus the same after loading the
// parser alone. Prints one JSON line.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS script run by node */
'use strict';

const path = require('path');
const { makeCells } = require('./notebook');

const lib = path.join(__dirname, '..', '..', 'lib', 'node');
const { NotebookAnalyzer } = require(
  path.join(lib, 'analyzer', 'engine', 'engine')
);
const { ALL_RULES } = require(path.join(lib, 'analyzer', 'rules'));
const { nodePythonParser } = require(path.join(lib, 'cli', 'parser'));

function usage() {
  global.gc();
  const { rss, heapUsed, arrayBuffers, external } = process.memoryUsage();
  return { rss, heapUsed, arrayBuffers, external };
}

async function main() {
  const cells = makeCells(Number(process.argv[2] ?? 1000));
  const parser = await nodePythonParser();
  const before = usage();
  const analyzer = new NotebookAnalyzer(parser, ALL_RULES);
  analyzer.analyze(cells);
  const after = usage();
  const mb = key => +((after[key] - before[key]) / 2 ** 20).toFixed(1);
  console.log(
    JSON.stringify({
      heapMiB: mb('heapUsed'),
      wasmAndBuffersMiB: mb('arrayBuffers'),
      rssMiB: mb('rss')
    })
  );
  analyzer.dispose();
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});

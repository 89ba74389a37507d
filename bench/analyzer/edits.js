#!/usr/bin/env node
// One-cell edits as in the editor's worker, run in its own process by
// run.js: open the notebook (one cold analysis), then edit one cell after
// another and analyze after each edit. Prints one JSON line with the wall
// and CPU milliseconds of every edit's analysis.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS script run by node */
'use strict';

const path = require('path');
const { makeCells, editedCells } = require('./notebook');

const lib = path.join(__dirname, '..', '..', 'lib', 'node');
const { NotebookAnalyzer } = require(
  path.join(lib, 'analyzer', 'engine', 'engine')
);
const { ALL_RULES } = require(path.join(lib, 'analyzer', 'rules'));
const { nodePythonParser } = require(path.join(lib, 'cli', 'parser'));

async function main() {
  const cells = makeCells(Number(process.argv[2] ?? 1000));
  const edits = Number(process.argv[3] ?? 60);
  const parser = await nodePythonParser();
  const analyzer = new NotebookAnalyzer(parser, ALL_RULES);
  analyzer.analyze(cells);
  const wall = [];
  const cpu = [];
  for (const edited of editedCells(cells, edits)) {
    const used = process.cpuUsage();
    const start = performance.now();
    analyzer.analyze(edited);
    wall.push(performance.now() - start);
    const { user, system } = process.cpuUsage(used);
    cpu.push((user + system) / 1000);
  }
  console.log(JSON.stringify({ wall, cpu, reparsed: analyzer.stats.parsed }));
  analyzer.dispose();
  parser.delete();
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});

#!/usr/bin/env node
// Static analyzer benchmark: cold analysis, parse-only, rules, incremental
// re-analysis after a one-cell edit, and ruff on the same notebook.
// Run after `npm run build:cli` (it uses lib/node): `npm run bench:analyzer`.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS script run by node */
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { makeCells, toNotebook, editedCells } = require('./notebook');

const root = path.resolve(__dirname, '..', '..');
const lib = path.join(root, 'lib', 'node');
const { NotebookAnalyzer } = require(
  path.join(lib, 'analyzer', 'engine', 'engine')
);
const { maskCell } = require(
  path.join(lib, 'analyzer', 'syntax', 'source', 'mask')
);
const { ALL_RULES } = require(path.join(lib, 'analyzer', 'rules'));
const { nodePythonParser } = require(path.join(lib, 'cli', 'parser'));

const CELLS = 1000;
const EDITS = 60;
// The edits process goes on after the first EDITS edits, as typing does:
// the later ones show the editor once the JIT has warmed up.
const WARM_EDITS = 300;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}
const median = values => percentile(values, 50);
const ms = value => `${value.toFixed(1)} ms`;

async function main() {
  const parser = await nodePythonParser();
  const cells = makeCells(CELLS);
  const lines = cells.reduce((n, c) => n + c.source.split('\n').length, 0);
  const out = path.join(root, 'bench', 'out');
  fs.mkdirSync(out, { recursive: true });
  const notebookPath = path.join(out, 'bench.ipynb');
  fs.writeFileSync(notebookPath, toNotebook(cells));

  // Warm the wasm runtime and the JIT once, as an open editor would be.
  new NotebookAnalyzer(parser, ALL_RULES).analyze(cells.slice(0, 50));

  const cold = [];
  const coldCpu = [];
  const parseOnly = [];
  let ruleTimes = {};
  let ruleMs = 0;
  let parseMs = 0;
  let syntaxMs = 0;
  let findings = 0;
  let dataflowMs = 0;
  for (let run = 0; run < 3; run++) {
    let start = performance.now();
    for (const cell of cells) {
      if (cell.kind === 'code') {
        const masked = maskCell(cell.source);
        parser.parse(masked.masked).delete();
      }
    }
    parseOnly.push(performance.now() - start);
    const analyzer = new NotebookAnalyzer(parser, ALL_RULES);
    const cpu = process.cpuUsage();
    start = performance.now();
    findings = analyzer.analyze(cells).length;
    cold.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    coldCpu.push((used.user + used.system) / 1000);
    const t = analyzer.stats.timings;
    ruleTimes = t;
    parseMs = t.parse;
    syntaxMs = t.syntax;
    ruleMs = Object.entries(t)
      .filter(([k]) => /^ML/.test(k))
      .reduce((sum, [, v]) => sum + v, 0);
    dataflowMs = t.dataflow;
    analyzer.dispose();
  }

  // Edits as in the editor's worker: a process that opened the notebook
  // (one cold analysis), then analyzes after every edit.
  const edits = JSON.parse(
    spawnSync(
      process.execPath,
      [path.join(__dirname, 'edits.js'), String(CELLS), String(WARM_EDITS)],
      { encoding: 'utf8' }
    ).stdout
  );
  // (edits of markdown cells are skipped: EDITS notebook edits are fewer
  // analyses, as in the shared-process loop below)
  const firstAnalyses = [...editedCells(cells, EDITS)].length;
  const incremental = edits.wall.slice(0, firstAnalyses);
  const incrementalCpu = edits.cpu.slice(0, firstAnalyses);
  const warm = edits.wall.slice(firstAnalyses);
  const reparsed = edits.reparsed;
  // The same edits in this process, after the three cold analyses above:
  // their garbage (~300 MB) is still being marked while the first edits run.
  const shared = new NotebookAnalyzer(parser, ALL_RULES);
  shared.analyze(cells);
  const sharedTimes = [];
  for (const edited of editedCells(cells, EDITS)) {
    const start = performance.now();
    shared.analyze(edited);
    sharedTimes.push(performance.now() - start);
  }
  shared.dispose();

  const ruff = path.join(root, '.venv', 'bin', 'ruff');
  const ruffTimes = [];
  let ruffNote = '';
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const result = spawnSync(
      ruff,
      ['check', '--no-cache', '--quiet', notebookPath],
      { encoding: 'utf8' }
    );
    ruffTimes.push(performance.now() - start);
    if (result.error) {
      ruffNote = ` (ruff failed: ${result.error.message})`;
      break;
    }
  }

  // The CLI as a user runs it: node start-up, wasm load, read, analyze, print.
  const cli = path.join(root, 'lib', 'cli.js');
  const cliTimes = [];
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    spawnSync(
      process.execPath,
      [cli, 'lint', '--format', 'json', notebookPath],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 2 ** 20
      }
    );
    cliTimes.push(performance.now() - start);
  }

  // Realistic notebooks (the test fixtures), one CLI process for all.
  const real = path.join(
    root,
    'src',
    'analyzer',
    '__tests__',
    'fixtures',
    'real'
  );
  const realFiles = fs.readdirSync(real).filter(f => f.endsWith('.ipynb'));
  let start = performance.now();
  spawnSync(process.execPath, [cli, 'lint', '--format', 'json', real], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20
  });
  const realWall = performance.now() - start;
  start = performance.now();
  spawnSync(process.execPath, [cli, 'rules'], { encoding: 'utf8' });
  const startup = performance.now() - start;

  const memory = JSON.parse(
    spawnSync(
      process.execPath,
      ['--expose-gc', path.join(__dirname, 'memory.js'), String(CELLS)],
      { encoding: 'utf8' }
    ).stdout
  );

  const coldMs = median(cold);
  const cliMs = median(cliTimes);
  const ruffMs = median(ruffTimes);
  const report = {
    notebook: `${CELLS} cells (${cells.filter(c => c.kind === 'code').length} code), ${lines} lines`,
    findings,
    coldAnalysis: ms(coldMs),
    coldAnalysisCpu: ms(median(coldCpu)),
    firstColdAnalysis: ms(cold[0]),
    parseOnly: ms(median(parseOnly)),
    parseInsideAnalysis: ms(parseMs),
    syntaxTree: ms(syntaxMs),
    rules: ms(ruleMs),
    dataflow: ms(dataflowMs),
    incrementalP50: ms(percentile(incremental, 50)),
    incrementalP95: ms(percentile(incremental, 95)),
    // The same process after those edits: an editor in use for a while.
    incrementalWarmEdits: warm.length,
    incrementalWarmP50: ms(percentile(warm, 50)),
    incrementalWarmP95: ms(percentile(warm, 95)),
    incrementalCpuP50: ms(percentile(incrementalCpu, 50)),
    incrementalCpuP95: ms(percentile(incrementalCpu, 95)),
    incrementalAfterColdRunsP50: ms(percentile(sharedTimes, 50)),
    incrementalAfterColdRunsP95: ms(percentile(sharedTimes, 95)),
    loadAverage: require('os')
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' '),
    coldStepsTop: Object.entries(ruleTimes)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(', '),
    cellsReparsedPerEdit: reparsed,
    ruffWall: ms(ruffMs) + ruffNote,
    cliWall: ms(cliMs),
    cliStartupOnly: ms(startup),
    realNotebooks: `${realFiles.length} notebooks in ${ms(realWall)} (${ms(realWall / realFiles.length)} per notebook, start-up included)`,
    memory,
    targets: {
      'cold CLI <= 2x ruff': `${(cliMs / ruffMs).toFixed(2)}x ${cliMs <= 2 * ruffMs ? 'MET' : 'NOT MET'}`,
      'cold analysis <= 2x ruff': `${(coldMs / ruffMs).toFixed(2)}x ${coldMs <= 2 * ruffMs ? 'MET' : 'NOT MET'}`,
      'rules <= parse': `${(ruleMs / parseMs).toFixed(2)}x ${ruleMs <= parseMs ? 'MET' : 'NOT MET'}`,
      'incremental p95 <= 8 ms (first edits)': `${percentile(incremental, 95) <= 8 ? 'MET' : 'NOT MET'}`,
      'incremental p95 <= 8 ms (warm editor)': `${percentile(warm, 95) <= 8 ? 'MET' : 'NOT MET'}`,
      'memory <= 100 MB': `${memory.heapMiB + memory.wasmAndBuffersMiB} MiB ${memory.heapMiB + memory.wasmAndBuffersMiB <= 100 ? 'MET' : 'NOT MET'}`
    }
  };
  console.log(JSON.stringify(report, null, 2));
  parser.delete();
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});

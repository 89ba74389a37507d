#!/usr/bin/env node
// Precision and recall of the static rules on hand-judged real notebooks.
//
//   npm run bench:realworld -- DIR
//
// DIR holds the judged repositories, one folder per repository named
// `owner+name` with its files at the judged commit (see README.md beside
// this file). The script lints every judged notebook with the built CLI
// (lib/cli.js), matches each finding to the judgments in judgments.jsonl and
// prints, per rule, precision and recall, then every finding that appeared
// (not judged yet) or disappeared since the judgments were made.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS script run by node */
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const here = __dirname;
const root = path.resolve(here, '..', '..');

function readJsonLines(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(line => line.trim())
    .map(line => JSON.parse(line));
}

const folderOf = repo => repo.replace('/', '+');
const keyOf = (file, f) => `${file}|${f.cell}|${f.rule}|${f.line}`;
const cellKeyOf = (file, f) => `${file}|${f.cell}|${f.rule}`;

/** Lint `files` (paths inside DIR) in one CLI run; findings by file. */
function lint(dir, files) {
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'lib', 'cli.js'), 'lint', '--format', 'json', ...files],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 }
  );
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`memlens lint failed (${result.status}): ${result.stderr}`);
  }
  const byFile = new Map();
  for (const file of JSON.parse(result.stdout).files) {
    if (file.error) {
      console.log(`error: ${file.path}: ${file.error}`);
    }
    byFile.set(file.path, file.findings);
  }
  return byFile;
}

function ratio(a, b) {
  return b === 0 ? '  -  ' : (a / b).toFixed(3);
}

function main() {
  const dir = process.argv[2];
  if (!dir || !fs.existsSync(dir)) {
    console.error(
      'usage: npm run bench:realworld -- DIR (the fetched repositories, one owner+name folder each)'
    );
    process.exit(2);
  }
  const notebooks = readJsonLines(path.join(here, 'notebooks.jsonl'));
  const judgments = readJsonLines(path.join(here, 'judgments.jsonl'));
  const fileOf = r => `${folderOf(r.repo)}/${r.path}`;
  const present = notebooks.filter(n =>
    fs.existsSync(path.join(dir, fileOf(n)))
  );
  if (present.length < notebooks.length) {
    console.log(
      `${notebooks.length - present.length} judged notebooks missing under ${dir}`
    );
  }
  const started = Date.now();
  const found = lint(dir, present.map(fileOf));
  const elapsed = Date.now() - started;

  const verdicts = new Map();
  const misses = new Map();
  for (const j of judgments) {
    if (j.verdict === 'miss') {
      misses.set(cellKeyOf(fileOf(j), j), j);
    } else {
      verdicts.set(keyOf(fileOf(j), j), j);
    }
  }
  const stats = new Map();
  const statOf = rule => {
    if (!stats.has(rule)) {
      stats.set(rule, { tp: 0, fp: 0, fn: 0, unjudged: 0 });
    }
    return stats.get(rule);
  };
  const seen = new Set();
  const appeared = [];
  for (const [file, findings] of found) {
    for (const f of findings) {
      const key = keyOf(file, f);
      const judged = verdicts.get(key);
      const missed = misses.get(cellKeyOf(file, f));
      const stat = statOf(f.rule);
      if (judged) {
        seen.add(key);
        stat[judged.verdict === 'true' ? 'tp' : 'fp']++;
      } else if (missed) {
        seen.add(`miss|${cellKeyOf(file, f)}`);
        stat.tp++;
      } else {
        stat.unjudged++;
        appeared.push(
          `${file}:cell ${f.cell + 1}:${f.line + 1}: ${f.rule} ${f.message}`
        );
      }
    }
  }
  const disappeared = [];
  for (const [key, j] of verdicts) {
    if (!seen.has(key)) {
      if (j.verdict === 'true') {
        statOf(j.rule).fn++;
      }
      disappeared.push(
        `${j.verdict === 'true' ? 'LOST ' : 'fixed'} ${fileOf(j)}:cell ${j.cell + 1}:${j.line + 1}: ${j.rule} (${j.reason})`
      );
    }
  }
  for (const [key, j] of misses) {
    if (!seen.has(`miss|${key}`)) {
      statOf(j.rule).fn++;
    }
  }

  const cells = present.reduce((n, nb) => n + (nb.code_cells || 0), 0);
  console.log(
    `${present.length} judged notebooks (${cells} code cells) from ${new Set(present.map(n => n.repo)).size} repositories, linted in ${elapsed} ms`
  );
  console.log(`${judgments.length} judgments (${misses.size} misses)\n`);
  console.log(
    'rule    found  true  false  unjudged  missed  precision  recall'
  );
  const total = { tp: 0, fp: 0, fn: 0, unjudged: 0 };
  for (const rule of [...stats.keys()].sort()) {
    const s = stats.get(rule);
    for (const k of Object.keys(total)) {
      total[k] += s[k];
    }
    console.log(
      `${rule.padEnd(7)} ${String(s.tp + s.fp + s.unjudged).padStart(5)} ${String(s.tp).padStart(5)} ${String(s.fp).padStart(6)} ${String(s.unjudged).padStart(9)} ${String(s.fn).padStart(7)}  ${ratio(s.tp, s.tp + s.fp).padStart(9)}  ${ratio(s.tp, s.tp + s.fn).padStart(6)}`
    );
  }
  const t = total;
  console.log(
    `${'all'.padEnd(7)} ${String(t.tp + t.fp + t.unjudged).padStart(5)} ${String(t.tp).padStart(5)} ${String(t.fp).padStart(6)} ${String(t.unjudged).padStart(9)} ${String(t.fn).padStart(7)}  ${ratio(t.tp, t.tp + t.fp).padStart(9)}  ${ratio(t.tp, t.tp + t.fn).padStart(6)}`
  );
  console.log(
    `\n(precision: true / (true + false); unjudged findings are listed below and count in neither; recall: true / (true + lost true + misses still missed))`
  );
  console.log(`\nappeared since the judgments (${appeared.length}):`);
  appeared.forEach(line => console.log(`  ${line}`));
  console.log(`\ndisappeared since the judgments (${disappeared.length}):`);
  disappeared.sort().forEach(line => console.log(`  ${line}`));
}

main();

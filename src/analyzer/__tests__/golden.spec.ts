/**
 * Golden findings: the complete findings (positions, messages, fixes,
 * kernel actions) of every realistic fixture notebook and of the demo
 * notebook, as JSON under golden/. A change to any rule or to the engine
 * that changes a finding fails here; when the change is deliberate,
 * regenerate with `MEMLENS_UPDATE_GOLDEN=1 npx jest golden` and say why in
 * the commit.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseNotebook } from '../../cli/load';
import { analyzeCells } from '../engine/engine';
import { ALL_RULES } from '../rules';
import { testParser } from './harness';

const REAL = path.join(__dirname, 'fixtures', 'real');
const GOLDEN = path.join(__dirname, 'golden');
const NOTEBOOKS: [string, string][] = [
  ...fs
    .readdirSync(REAL)
    .filter(name => name.endsWith('.ipynb'))
    .sort()
    .map((name): [string, string] => [name, path.join(REAL, name)]),
  ['demo.ipynb', path.join(__dirname, '../../../examples/demo.ipynb')]
];
const UPDATE = process.env.MEMLENS_UPDATE_GOLDEN === '1';

describe('golden findings', () => {
  it.each(NOTEBOOKS)('%s', async (name, file) => {
    const loaded = parseNotebook(fs.readFileSync(file, 'utf-8'));
    const findings = analyzeCells(await testParser(), loaded.cells, {
      rules: ALL_RULES
    });
    const actual = JSON.stringify(findings, null, 1) + '\n';
    const golden = path.join(GOLDEN, name.replace(/\.ipynb$/, '.json'));
    if (UPDATE) {
      fs.writeFileSync(golden, actual);
    }
    // the same findings, field for field (the order of an object's keys
    // is not part of a finding)
    expect(JSON.parse(actual)).toStrictEqual(
      JSON.parse(fs.readFileSync(golden, 'utf-8'))
    );
  });
});

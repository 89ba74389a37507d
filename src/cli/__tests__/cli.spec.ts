import * as path from 'path';
import { run, tempFolder } from './cli-harness';
import { parsePercentScript } from '../load';

const BAD_CELL = 'total = sum([x for x in xs])\n';

function notebook(
  cells: { cell_type: string; source: string | string[] }[]
): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map((c, i) => ({
      id: `c${i}`,
      metadata: {},
      outputs: [],
      ...c
    }))
  });
}

describe('memlens CLI', () => {
  const folder = tempFolder('memlens-cli-');
  const { file } = folder;

  it('prints text findings with 1-based cell/line/col and exits 1', async () => {
    const nb = file(
      'nb.ipynb',
      notebook([
        { cell_type: 'markdown', source: '# Title' },
        { cell_type: 'code', source: ['x = 1\n', BAD_CELL] }
      ])
    );
    const { code, stdout } = await run('lint', nb);
    expect(code).toBe(1);
    expect(stdout).toBe(
      `${nb}:cell 2:2:9: ML502 sum() receives a list comprehension; pass a generator expression instead.\n` +
        'Found 1 finding (1 fixable).\n'
    );
  });

  it('prints the exact JSON document', async () => {
    const nb = file(
      'nb.ipynb',
      notebook([{ cell_type: 'code', source: BAD_CELL }])
    );
    const { code, stdout } = await run('lint', '--format', 'json', nb);
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(['version', 'files']);
    expect(json.version).toBe(1);
    expect(Object.keys(json.files[0])).toEqual([
      'path',
      'error',
      'skipped',
      'notices',
      'findings'
    ]);
    const [finding] = json.files[0].findings;
    expect(Object.keys(finding)).toEqual([
      'rule',
      'severity',
      'cell',
      'line',
      'column',
      'endLine',
      'endColumn',
      'message',
      'fix'
    ]);
    expect(finding).toMatchObject({
      rule: 'ML502',
      cell: 0,
      line: 0,
      column: 8,
      endLine: 0,
      endColumn: 28
    });
    expect(Object.keys(finding.fix)).toEqual(['description', 'edits']);
    expect(Object.keys(finding.fix.edits[0])).toEqual([
      'cell',
      'line',
      'column',
      'endLine',
      'endColumn',
      'text'
    ]);
  });

  it('exits 0 on a clean file and honours --select/--ignore', async () => {
    const clean = file('clean.py', 'x = 1\nprint(x)\n');
    expect((await run('lint', clean)).code).toBe(0);
    const bad = file('bad.py', BAD_CELL);
    expect((await run('lint', '--ignore', 'ML502', bad)).code).toBe(0);
    expect((await run('lint', '--select=ML1', bad)).code).toBe(0);
    expect((await run('lint', '--select', 'ml502,ML101', bad)).code).toBe(1);
  });

  it('reports per-file errors, still analyzes the other files, exits 2', async () => {
    const good = file(
      'a.ipynb',
      notebook([{ cell_type: 'code', source: BAD_CELL }])
    );
    const paths = [
      file('b.ipynb', '{not json'),
      file('c.ipynb', JSON.stringify({ nbformat: 2, worksheets: [] })),
      file('d.ipynb', JSON.stringify({ nbformat: 4, cells: {} })),
      file('e.py', new Uint8Array([0x78, 0x20, 0x3d, 0xff, 0xfe, 0x0a])),
      folder.path('missing.ipynb'),
      good
    ];
    const { code, stdout } = await run('lint', '--format', 'json', ...paths);
    expect(code).toBe(2);
    const files = JSON.parse(stdout).files;
    expect(files.map((f: { error: string | null }) => f.error)).toEqual([
      expect.stringMatching(/invalid JSON/),
      expect.stringMatching(/unsupported notebook format \(nbformat is 2;/),
      'invalid nbformat 4 notebook: "cells" is not a list',
      'not valid UTF-8',
      'no such file or directory',
      null
    ]);
    expect(files[5].findings).toHaveLength(1);
    const text = await run('lint', paths[0], good);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(
      `${paths[0]}: error: not a notebook: invalid JSON`
    );
    expect(text.stdout).toContain('ML502');
  });

  it('walks directories, skipping .ipynb_checkpoints and other files', async () => {
    file('sub/a.py', BAD_CELL);
    file('sub/.ipynb_checkpoints/a-checkpoint.ipynb', '{broken');
    file('sub/notes.txt', BAD_CELL);
    file('b.ipynb', notebook([{ cell_type: 'code', source: BAD_CELL }]));
    const { code, stdout } = await run(
      'lint',
      '--format',
      'json',
      folder.root()
    );
    expect(code).toBe(1);
    const paths = JSON.parse(stdout).files.map((f: { path: string }) =>
      path.relative(folder.root(), f.path)
    );
    expect(paths).toEqual(['b.ipynb', path.join('sub', 'a.py')]);
  });

  it('writes SARIF 2.1.0', async () => {
    const py = file('s.py', `# %%\nimport os\n# %%\n${BAD_CELL}`);
    const { code, stdout } = await run('lint', '--format', 'sarif', py);
    expect(code).toBe(1);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    const [result] = sarif.runs[0].results;
    expect(result).toMatchObject({
      ruleId: 'ML502',
      level: 'note',
      properties: { cell: 1, cellLine: 0, cellColumn: 8 }
    });
    expect(result.locations[0].physicalLocation.region).toMatchObject({
      startLine: 4,
      startColumn: 9
    });
    expect(sarif.runs[0].tool.driver.rules[0].id).toBe('ML502');
  });

  it('rejects usage errors with exit 2', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('lint')).code).toBe(2);
    expect((await run('lint', '--format', 'xml', 'a.py')).code).toBe(2);
    expect((await run('lint', '--bogus', 'a.py')).code).toBe(2);
    expect((await run('lint', '--select', 'ML999', 'a.py')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
  });

  it('checks the options of --execute before running anything', async () => {
    const usage = async (...argv: string[]) => {
      const result = await run('lint', ...argv);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      return result.stderr.split('\n')[0];
    };
    expect(await usage('--max-peak', '1GB', 'a.ipynb')).toBe(
      'memlens: --max-peak needs --execute'
    );
    expect(
      await usage('--execute', '--max-peak', '12 parsecs', 'a.ipynb')
    ).toBe(
      'memlens: --max-peak needs a size such as 2GB, 512MiB or 1000000 (bytes), not 12 parsecs'
    );
    expect(await usage('--execute', '--max-cell-peak=0', 'a.ipynb')).toMatch(
      /--max-cell-peak needs a size/
    );
    expect(await usage('--execute', '--timeout', '-1', 'a.ipynb')).toBe(
      'memlens: --timeout needs a positive number of seconds, not -1'
    );
    expect(await usage('--execute', '--kernel')).toBe(
      'memlens: --kernel needs a value'
    );
    // live and budget ids are rule ids for --select/--ignore
    expect(
      (await run('lint', '--ignore', 'LV1,MB002', 'missing.py')).stderr
    ).not.toMatch(/unknown rule/);
  });

  it("lists rules and prints one rule's documentation", async () => {
    const list = await run('rules');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ML\d{3} /);
    expect(list.stdout).toContain('ML502  info     list-in-reducer');
    expect(list.stdout).toContain('LV101  warning  large-object');
    const live = await run('rule', 'LV101');
    expect(live.code).toBe(0);
    expect(live.stdout).toContain('LV101 large-object');
    expect(live.stdout).toContain('with `memlens lint --execute`');
    const budget = await run('rule', 'mb002');
    expect(budget.code).toBe(0);
    expect(budget.stdout).toContain('--max-cell-peak');
    const docs = await run('rule', 'ml502');
    expect(docs.code).toBe(0);
    expect(docs.stdout).toContain('Why it costs memory:');
    expect(docs.stdout).toContain('sum(x * x for x in range(10_000_000))');
    expect((await run('rule', 'ML999')).code).toBe(2);
  });
});

describe('percent-format scripts', () => {
  it('splits cells at # %% markers, markdown cells included', () => {
    const loaded = parsePercentScript(
      'import os\n# %%\na = 1\n# %% [markdown]\n# Title\n#%%\nb = 2'
    );
    expect(loaded.cells).toEqual([
      { kind: 'code', source: 'import os' },
      { kind: 'code', source: 'a = 1' },
      { kind: 'markdown', source: '# Title' },
      { kind: 'code', source: 'b = 2' }
    ]);
    expect(loaded.cellLines).toEqual([0, 2, 4, 6]);
  });

  it('treats a plain script as one cell', () => {
    expect(parsePercentScript('x = 1\n').cells).toEqual([
      { kind: 'code', source: 'x = 1\n' }
    ]);
  });
});

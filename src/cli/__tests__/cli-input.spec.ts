/**
 * What `memlens lint` reads and how it numbers what it reports: nbformat 3,
 * odd cells, non-Python notebooks, syntax errors, help, and SARIF regions on
 * the real lines of the `.ipynb` file.
 */
import * as fs from 'fs';
import { parseNotebook } from '../load';
import { run, tempFolder } from './cli-harness';

const BAD = 'total = sum([x for x in xs])\n';

/** Source as Jupyter writes it: a list of lines, each ending with \n. */
function lines(source: string): string[] {
  return source.split(/(?<=\n)/).filter(line => line !== '');
}

function nb4(cells: Record<string, unknown>[], metadata = {}): string {
  // indent 1, as Jupyter saves notebooks
  return JSON.stringify(
    { nbformat: 4, nbformat_minor: 5, metadata, cells },
    null,
    1
  );
}

const code = (source: string | string[], extra = {}) => ({
  cell_type: 'code',
  execution_count: null,
  metadata: {},
  outputs: [],
  source,
  ...extra
});

describe('memlens lint input and numbering', () => {
  const folder = tempFolder('memlens-input-');
  const { file } = folder;

  it('reads nbformat 3 like nbformat 4, counting cells over all worksheets', async () => {
    const nb = file(
      'old.ipynb',
      JSON.stringify({
        nbformat: 3,
        nbformat_minor: 0,
        metadata: { name: 'old' },
        worksheets: [
          {
            cells: [
              { cell_type: 'heading', level: 1, source: ['Title'] },
              {
                cell_type: 'code',
                language: 'python',
                input: ['xs = range(3)\n', 'print "py2\n'],
                outputs: [],
                prompt_number: 1
              }
            ]
          },
          {
            cells: [
              { cell_type: 'markdown', source: 'Notes' },
              {
                cell_type: 'code',
                language: 'python',
                input: BAD,
                outputs: []
              }
            ]
          }
        ]
      })
    );
    const json = await run('lint', '--format', 'json', nb);
    expect(json.code).toBe(1);
    const [result] = JSON.parse(json.stdout).files;
    expect(result.error).toBeNull();
    expect(result.findings.map((f: { cell: number }) => f.cell)).toEqual([3]);
    // An unterminated string is a syntax error: a notice, not a finding.
    expect(result.notices).toEqual([
      expect.objectContaining({ cell: 1, line: 1 })
    ]);
    const text = await run('lint', nb);
    expect(text.stdout).toContain(`${nb}:cell 4:1:9: ML502 `);
    expect(text.stdout).toMatch(
      new RegExp(
        `${nb.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:cell 2:2:\\d+: syntax error`
      )
    );
    expect(text.stdout).toMatch(/Found 1 finding \(1 fixable\)\.\n$/);
  });

  it('skips notebooks whose kernel language is not Python, without an error', async () => {
    const r = file(
      'r.ipynb',
      nb4([code('x <- c(1, 2)\n')], {
        kernelspec: { name: 'ir', language: 'R', display_name: 'R' }
      })
    );
    const py = file(
      'py.ipynb',
      nb4([code(BAD)], {
        kernelspec: { name: 'python3', language: 'python' }
      })
    );
    const json = await run('lint', '--format', 'json', r, py);
    expect(json.code).toBe(1);
    const [skipped, analyzed] = JSON.parse(json.stdout).files;
    expect(skipped).toMatchObject({ error: null, findings: [] });
    expect(skipped.skipped).toMatch(/kernel language is R/);
    expect(analyzed.findings).toHaveLength(1);
    const text = await run('lint', r);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${r}: skipped: the notebook's kernel`);
  });

  it("reads each cell's tags and the notebook's kernelspec name for --execute", () => {
    const loaded = parseNotebook(
      nb4(
        [
          code('x = 1', { metadata: { tags: ['raises-exception', 7] } }),
          { cell_type: 'markdown', metadata: {}, source: 'text' },
          code('y = 2', { metadata: { tags: 'not-a-list' } })
        ],
        { kernelspec: { name: 'py311', language: 'python' } }
      )
    );
    expect(loaded.tags).toEqual([['raises-exception'], [], []]);
    expect(loaded.kernel).toBe('py311');
    expect(parseNotebook(nb4([code('x = 1')])).kernel).toBeNull();
  });

  it('keeps analyzing when one cell source is not text', async () => {
    const nb = file(
      'odd.ipynb',
      nb4([code({ not: 'text' } as unknown as string), code(lines(BAD))])
    );
    const { code: status, stdout } = await run('lint', '--format', 'json', nb);
    expect(status).toBe(1);
    const [result] = JSON.parse(stdout).files;
    expect(result.notices).toEqual([
      {
        cell: 0,
        line: 0,
        column: 0,
        message: 'the cell source is not text, cell skipped'
      }
    ]);
    expect(result.findings[0]).toMatchObject({ rule: 'ML502', cell: 1 });
  });

  it('reports syntax errors as notices that do not count as findings', async () => {
    const nb = file(
      'broken.ipynb',
      nb4([code(['import os\n', 'x = (1,\n']), code('y = 2\n')])
    );
    const { code: status, stdout } = await run('lint', nb);
    expect(status).toBe(0);
    expect(stdout).toMatch(
      /:cell 1:\d+:\d+: syntax error, statement skipped\n/
    );
    expect(stdout).toMatch(/All checks passed\.\n$/);
  });

  it('numbers a plain script by its own lines, not cells', async () => {
    const py = file('script.py', `import os\n\n${BAD}`);
    const { stdout } = await run('lint', py);
    expect(stdout.split('\n')[0]).toBe(
      `${py}:3:9: ML502 sum() receives a list comprehension; pass a generator expression instead.`
    );
    const percent = file('cells.py', `# %%\nimport os\n# %%\n${BAD}`);
    expect((await run('lint', percent)).stdout).toContain(
      `${percent}:4:9: ML502`
    );
  });

  it('refuses a named file that is not a notebook or .py file', async () => {
    const txt = file('notes.txt', BAD);
    const { code: status, stderr } = await run('lint', txt);
    expect(status).toBe(2);
    expect(stderr).toContain(`${txt}: error: not a notebook or Python file`);
  });

  it('points SARIF regions at the .ipynb lines that hold the source', async () => {
    const sources = [
      lines(`import numpy as np\n\tvalue = "\u00e9t\u00e9"\n${BAD}`),
      `print("a\\tb")\n${BAD}` // one JSON string for the whole cell
    ];
    const nb = file(
      'regions.ipynb',
      nb4([
        { cell_type: 'markdown', metadata: {}, source: ['# T'] },
        ...sources.map(s => code(s))
      ])
    );
    const raw = fs.readFileSync(nb, 'utf-8').split('\n');
    const { stdout } = await run('lint', '--format', 'sarif', nb);
    const results = JSON.parse(stdout).runs[0].results;
    expect(results).toHaveLength(2);
    const [list, single] = results.map(
      (r: {
        locations: { physicalLocation: { region: Record<string, number> } }[];
      }) => r.locations[0].physicalLocation.region
    );
    // list source: the flagged call is on its own JSON line, at its column
    expect(raw[list.startLine - 1].slice(list.startColumn - 1)).toMatch(
      /^sum\(\[x/
    );
    expect(results[0].message.text).toMatch(/^cell 2, line 3: /);
    // single string: the JSON line of the string, at the call's escaped offset
    expect(raw[single.startLine - 1].slice(single.startColumn - 1)).toMatch(
      /^sum\(\[x/
    );
    expect(results[1].message.text).toMatch(/^cell 3, line 2: /);
  });

  it('prints help for the command and for lint, with every option and exit code', async () => {
    const top = await run('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('--version');
    const lint = await run('lint', '--help');
    expect(lint.code).toBe(0);
    for (const text of [
      '--format',
      '--select',
      '--ignore',
      'sarif',
      'Exit status',
      'Examples',
      '--execute',
      '--kernel NAME',
      '--timeout SECONDS',
      '--max-peak SIZE',
      '--max-cell-peak SIZE',
      '--python PYTHON',
      'MiB'
    ]) {
      expect(lint.stdout).toContain(text);
    }
    expect(lint.stdout).toMatch(/0 +no findings/);
    expect(lint.stdout).toMatch(/1 +findings/);
    expect(lint.stdout).toMatch(/2 +usage error/);
    const version = await run('--version');
    expect(version).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^memlens \d+\.\d+\.\d+\n$/)
    });
  });

  it('analyzes a 10,000-line cell and notebooks with big outputs', async () => {
    const long =
      Array.from({ length: 9_999 }, (_, i) => `v${i} = ${i}\n`).join('') + BAD;
    const output = {
      output_type: 'stream',
      name: 'stdout',
      text: ['x'.repeat(4_000_000)]
    };
    const nb = file(
      'big.ipynb',
      nb4([code(lines(long)), code(lines(BAD), { outputs: [output] })])
    );
    const { code: status, stdout } = await run('lint', '--format', 'json', nb);
    expect(status).toBe(1);
    const findings = JSON.parse(stdout).files[0].findings;
    expect(
      findings.map((f: { cell: number; line: number }) => [f.cell, f.line])
    ).toEqual([
      [0, 9_999],
      [1, 0]
    ]);
  });

  // rev 3 (real notebooks): what the notebook and its folder tell about size
  describe('sizes from the notebook folder and its saved outputs', () => {
    const load = 'import pandas as pd\ndf = pd.read_csv("data/t.csv")\n';
    const later = [code('n = len(df)\n'), code('model = fit(n)\n')];

    it('does not treat a read of a small data file beside the notebook as large', async () => {
      folder.file('data/t.csv', 'a,b\n1,2\n');
      const file = folder.file('small.ipynb', nb4([code(load), ...later]));
      const { stdout } = await run('lint', '--format', 'json', file);
      expect(JSON.parse(stdout).files[0].findings).toEqual([]);
    });

    it('treats a read of a file it cannot see as large', async () => {
      const file = folder.file('unseen.ipynb', nb4([code(load), ...later]));
      const { stdout } = await run('lint', '--format', 'json', file);
      const rules = JSON.parse(stdout).files[0].findings.map(
        (f: { rule: string }) => f.rule
      );
      expect(rules).toEqual(['ML201']);
    });

    it('sizes a folder whose files a loop reads one by one', async () => {
      const filling = code(
        'import glob\nimport pandas as pd\nparts = []\nfor name in glob.glob("prices/*.csv"):\n    parts.append(pd.read_csv(name))\n'
      );
      const rest = [
        code('prices = pd.concat(parts)\n'),
        code('model = fit(prices)\n')
      ];
      folder.file('prices/a.csv', 'a,b\n1,2\n');
      folder.file('prices/b.csv', 'a,b\n3,4\n');
      const small = folder.file('prices.ipynb', nb4([filling, ...rest]));
      const { stdout } = await run('lint', '--format', 'json', small);
      expect(JSON.parse(stdout).files[0].findings).toEqual([]);
      // a folder it cannot see: the list holds a dataset read file by file
      const unseen = folder.file(
        'unseen-folder.ipynb',
        nb4([
          code(
            'import glob\nimport pandas as pd\nparts = []\nfor name in glob.glob("/nowhere/*.csv"):\n    parts.append(pd.read_csv(name))\n'
          ),
          ...rest
        ])
      );
      const found = JSON.parse(
        (await run('lint', '--format', 'json', unseen)).stdout
      ).files[0].findings;
      expect(found.map((f: { message: string }) => f.message)).toEqual([
        expect.stringContaining('`parts`')
      ]);
    });

    it('reads the saved outputs: a shape the notebook printed', async () => {
      const shown = code('print(df.shape)\n', {
        outputs: [{ output_type: 'stream', name: 'stdout', text: ['(4, 2)\n'] }]
      });
      const file = folder.file(
        'shown.ipynb',
        nb4([code(load), shown, ...later])
      );
      const { stdout } = await run('lint', '--format', 'json', file);
      expect(JSON.parse(stdout).files[0].findings).toEqual([]);
    });
  });
});

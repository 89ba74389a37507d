/**
 * `memlens lint --execute` with a real kernel: the CLI in-process spawns
 * the helper's runner (nbclient) in the project's Python, which starts a
 * python3 kernel. Each test runs one small notebook.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../main';
import { run, tempFolder } from './cli-harness';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../..');
const VENV_PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
/** The Python with Jupyter and this worktree's helper (as `make test` has it). */
const PYTHON =
  process.env.MEMLENS_PYTHON ??
  (fs.existsSync(VENV_PYTHON) ? VENV_PYTHON : 'python3');

/** An nbformat 4 notebook of these cells (`# md` first line: markdown). */
function notebook(
  cells: string[],
  kernel = 'python3',
  language = 'python'
): string {
  return JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: kernel, language, display_name: kernel }
      },
      cells: cells.map((source, i) =>
        source.startsWith('# md')
          ? { cell_type: 'markdown', id: `c${i}`, metadata: {}, source }
          : {
              cell_type: 'code',
              id: `c${i}`,
              metadata: {},
              execution_count: null,
              outputs: [],
              source
            }
      )
    },
    null,
    1
  );
}

interface IJsonFinding {
  rule: string;
  cell: number | null;
  line: number | null;
  message: string;
  variable?: string | null;
  size_bytes?: number | null;
}

interface IJsonFile {
  error: string | null;
  findings: IJsonFinding[];
  execution: {
    kernel: string;
    peak_bytes: number | null;
    cells: {
      cell: number;
      execution_count: number | null;
      duration_ms: number;
      rss_bytes: number | null;
      peak_bytes: number | null;
      error: string | null;
    }[];
  };
}

async function lintJson(
  ...argv: string[]
): Promise<{ code: number; file: IJsonFile; stderr: string }> {
  const result = await run(
    'lint',
    '--execute',
    '--python',
    PYTHON,
    '--format',
    'json',
    ...argv
  );
  const doc = JSON.parse(result.stdout) as { files: IJsonFile[] };
  return { code: result.code, file: doc.files[0], stderr: result.stderr };
}

const ARRAY_BYTES = 200_000_000;

describe('memlens lint --execute (real kernel)', () => {
  const tmp = tempFolder('memlens-exec-');

  it('sizes a 200 MB array (LV101, ML201 with the real size), enforces budgets, never writes the notebook', async () => {
    const text = notebook([
      '# md\nA big array, then a cell that does not use it.',
      'import numpy as np\nbig = np.ones(25_000_000)',
      'small = list(range(10))',
      'print(len(small))'
    ]);
    const nb = tmp.file('big.ipynb', text);
    const before = fs.readFileSync(nb);
    const { code, file } = await lintJson(
      '--max-peak',
      '100MB',
      '--max-cell-peak',
      '150MiB',
      nb
    );
    expect(file.error).toBeNull();
    expect(code).toBe(1);
    expect(fs.readFileSync(nb).equals(before)).toBe(true);

    // the execution facts, per code cell, in order
    const cells = file.execution.cells;
    expect(file.execution.kernel).toBe('python3');
    expect(cells.map(c => c.cell)).toEqual([1, 2, 3]);
    expect(cells.map(c => c.execution_count)).toEqual([1, 2, 3]);
    for (const cell of cells) {
      expect(cell.error).toBeNull();
      expect(cell.duration_ms).toBeGreaterThanOrEqual(0);
      expect(cell.peak_bytes!).toBeGreaterThanOrEqual(cell.rss_bytes! * 0.99);
    }
    expect(cells[0].rss_bytes!).toBeGreaterThan(ARRAY_BYTES);
    expect(file.execution.peak_bytes).toBe(
      Math.max(...cells.map(c => c.peak_bytes!))
    );

    // LV101 on the cell that bound `big`, its size within 10%
    const lv101 = file.findings.find(f => f.rule === 'LV101');
    expect(lv101).toMatchObject({ cell: 1, line: null, variable: 'big' });
    expect(
      Math.abs(lv101!.size_bytes! - ARRAY_BYTES) / ARRAY_BYTES
    ).toBeLessThan(0.1);
    const mib = Number(/([\d.]+) MiB/.exec(lv101!.message)![1]);
    expect(Math.abs(mib * 2 ** 20 - ARRAY_BYTES) / ARRAY_BYTES).toBeLessThan(
      0.1
    );

    // ML201 (static, sharpened by the kernel's size) names the real size
    const ml201 = file.findings.find(
      f => f.rule === 'ML201' && f.message.includes('`big`')
    );
    expect(ml201?.message).toContain(`${mib.toFixed(1)} MiB`);
    expect(ml201?.line).toBe(1);

    // budgets: the run's peak over 100 MB; only the allocating cell over 150 MiB
    const mb001 = file.findings.filter(f => f.rule === 'MB001');
    expect(mb001).toHaveLength(1);
    expect(mb001[0].cell).toBe(1);
    expect(mb001[0].message).toContain('--max-peak');
    expect(
      file.findings.filter(f => f.rule === 'MB002').map(f => f.cell)
    ).toEqual([1]);
  });

  it('passes a notebook within its budgets; a progress line per cell on a terminal', async () => {
    const nb = tmp.file(
      'small.ipynb',
      notebook(['values = [1, 2, 3]', '# md\nthen', 'print(sum(values))'])
    );
    let stdout = '';
    const code = await main(
      ['lint', '--execute', '--python', PYTHON, '--max-peak', '10GB', nb],
      {
        stdout: text => (stdout += text),
        stderr: text => (stdout += text),
        isTTY: true
      }
    );
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^.*small\.ipynb: cell 1 ran in \d+\.\d s, memory \d+\.\d MiB, peak \d+\.\d MiB \([+-]/
    );
    expect(lines[1]).toMatch(/small\.ipynb: cell 3 ran in/);
    expect(lines[2]).toMatch(
      /small\.ipynb: executed 2 cells in \d+\.\d s \(kernel python3\), peak \d+\.\d MiB; cell \d needed the most/
    );
    expect(lines[3]).toBe('All checks passed.');
  });

  it('stops at a cell that raises: exit 2, the error names the cell', async () => {
    const nb = tmp.file(
      'raises.ipynb',
      notebook(['x = 1', '# md\nthen', 'y = x / 0', 'z = 3'])
    );
    const { code, file } = await lintJson(nb);
    expect(code).toBe(2);
    expect(file.error).toMatch(/^cell 3 raised ZeroDivisionError/);
    expect(file.execution.cells.map(c => [c.cell, c.error])).toEqual([
      [0, null],
      [2, 'ZeroDivisionError: division by zero']
    ]);
  });

  it('says so when the kernel dies (exit 2)', async () => {
    const nb = tmp.file(
      'dies.ipynb',
      notebook(['a = 1', 'import os\nos._exit(3)', 'b = 2'])
    );
    const { code, file } = await lintJson(nb);
    expect(code).toBe(2);
    expect(file.error).toBe(
      'the kernel died while running cell 2 (exit status 3)'
    );
    expect(file.execution.cells.map(c => c.cell)).toEqual([0, 1]);
    expect(file.execution.cells[1].error).toBe('the kernel died');
  });

  it('bounds each cell with --timeout (exit 2)', async () => {
    const nb = tmp.file(
      'slow.ipynb',
      notebook(['import time\ntime.sleep(60)', 'done = True'])
    );
    const started = Date.now();
    const { code, file } = await lintJson('--timeout', '2', nb);
    expect(code).toBe(2);
    expect(file.error).toBe(
      'cell 1 timed out: not done within 2 s (--timeout)'
    );
    expect(file.execution.cells).toEqual([
      expect.objectContaining({ cell: 0, error: 'timed out after 2 s' })
    ]);
    expect(Date.now() - started).toBeLessThan(45_000);
  });

  it('refuses a kernelspec that is not Python, and an unknown one', async () => {
    const specs = tmp.file(
      'share/kernels/fake-r/kernel.json',
      JSON.stringify({
        argv: ['R', '--slave', '-f', '{connection_file}'],
        display_name: 'R (fake)',
        language: 'R'
      })
    );
    const saved = process.env.JUPYTER_PATH;
    process.env.JUPYTER_PATH = [
      path.dirname(path.dirname(path.dirname(specs))),
      saved
    ]
      .filter(Boolean)
      .join(path.delimiter);
    try {
      const nb = tmp.file('nb.ipynb', notebook(['x = 1']));
      const other = await lintJson('--kernel', 'fake-r', nb);
      expect(other.code).toBe(2);
      expect(other.file.error).toBe(
        "kernel 'fake-r' runs R; memlens --execute needs a Python (IPython) kernel"
      );
      expect(other.file.execution.cells).toEqual([]);
      // a notebook that says it is R is not run (and not skipped: exit 2)
      const r = tmp.file('r.ipynb', notebook(['x <- 1'], 'fake-r', 'R'));
      const rNotebook = await lintJson(r);
      expect(rNotebook.code).toBe(2);
      expect(rNotebook.file.execution).toEqual({
        kernel: 'fake-r',
        cells: [],
        peak_bytes: null
      });
      expect(rNotebook.file.error).toBe(
        "cannot execute it: the notebook's kernel language is R; memlens analyzes Python notebooks only"
      );
      const unknown = await lintJson('--kernel', 'no-such-kernel', nb);
      expect(unknown.code).toBe(2);
      expect(unknown.file.error).toMatch(/^no kernel named 'no-such-kernel'/);
    } finally {
      if (saved === undefined) {
        delete process.env.JUPYTER_PATH;
      } else {
        process.env.JUPYTER_PATH = saved;
      }
    }
  });

  it('says which Python is missing, or lacks the helper', async () => {
    const nb = tmp.file('nb.ipynb', notebook(['x = 1']));
    const result = await run(
      'lint',
      '--execute',
      '--python',
      path.join(tmp.root(), 'no-python'),
      nb
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /cannot start .*no-python to run the notebook.*--python or MEMLENS_PYTHON/
    );
    // a Python without the helper (-S: no site-packages)
    const bare = tmp.file(
      'bare-python',
      `#!/bin/sh\nexec ${JSON.stringify(PYTHON)} -S "$@"\n`
    );
    fs.chmodSync(bare, 0o755);
    const noHelper = await run('lint', '--execute', '--python', bare, nb);
    expect(noHelper.code).toBe(2);
    expect(noHelper.stderr).toContain(
      `the memlens kernel helper is not installed for ${bare}: pip install 'memlens-kernel[execute]'`
    );
  });
});

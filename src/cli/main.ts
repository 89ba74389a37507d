/**
 * `memlens lint | rules | rule ID` (README.md, docs/rules.md). `main` takes the arguments
 * and output streams so tests can call it in-process.
 */
import type { Parser } from 'web-tree-sitter';
import { NotebookAnalyzer, ruleEnabled } from '../analyzer/engine/engine';
import { liveFactsOf } from '../analyzer/engine/live-facts';
import { ALL_RULE_INFOS, findRuleInfo } from '../analyzer/rules/live-rules';
import { DEFAULT_THRESHOLD_BYTES } from '../common/bytes';
import { ALL_RULES } from '../analyzer/rules';
import { rulesMarkdown } from './rule-docs';
import { defaultPython, executeCells, ICellRun, IRunResult } from './execute';
import {
  EXECUTE_OPTIONS,
  IExecuteArgs,
  progressLine,
  setExecuteOption
} from './execute-options';
import { budgetFindings, liveFindings } from './run-findings';
import { expandPaths, fileSizes } from './files';
import {
  formatJson,
  formatRuleDocs,
  formatSarif,
  formatText,
  IFileResult
} from './format';
import { ipynbLocator } from './ipynb-lines';
import { loadFile } from './load';
import { nodePythonParser } from './parser';

/** Where the CLI writes. */
export interface IOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal (progress lines of `--execute`). */
  isTTY?: boolean;
}

/** Parsed `lint` arguments. */
export interface ILintArgs {
  format: 'text' | 'json' | 'sarif';
  select: string[];
  ignore: string[];
  paths: string[];
  /** `--execute` and its options (null: static analysis only). */
  execute: IExecuteArgs | null;
}

const USAGE = `usage: memlens lint [--format text|json|sarif] [--select ID,...] [--ignore ID,...] PATH...
       memlens lint --execute [--kernel NAME] [--timeout SECONDS] [--max-peak SIZE]
                    [--max-cell-peak SIZE] [--python PYTHON] [options above] PATH...
       memlens rules
       memlens rule ID
       memlens --help | --version
`;

const HELP = `memlens: find what eats a notebook's memory (static analysis of .ipynb and .py files)

${USAGE}
Commands:
  lint PATH...     analyze notebooks and scripts; see \`memlens lint --help\`
  rules            list every rule (ML: static, checked by lint; LV: live, in JupyterLab
                   and lint --execute; MB: memory budgets of lint --execute);
                   --markdown prints the whole catalog with its docs (docs/rules.md)
  rule ID          print one rule's documentation (e.g. \`memlens rule ML201\`)

Options:
  -h, --help       show this help (\`memlens lint --help\` for lint's options)
  -V, --version    print the version
`;

const LINT_HELP = `usage: memlens lint [--format text|json|sarif] [--select ID,...] [--ignore ID,...] PATH...
       memlens lint --execute [--kernel NAME] [--timeout SECONDS] [--max-peak SIZE]
                    [--max-cell-peak SIZE] [--python PYTHON] [options above] PATH...

Analyze notebooks (.ipynb, nbformat 4 and 3) and Python scripts (.py; \`# %%\`
markers split cells) for memory anti-patterns. Directories are searched
recursively for .ipynb and .py files (.ipynb_checkpoints and .git are skipped).

With --execute, each file also runs top to bottom in a fresh Jupyter kernel
(nbclient; the memlens helper is loaded in it; the file is never written):
findings are sharpened with the real sizes (ML201, ML202, ML404), the live
findings (LV...) of the namespace after the last cell are added, and each
cell's time, memory after and peak are reported (docs/ci.md).

Options:
  --format FORMAT  text (default): \`nb.ipynb:cell 4:2:5: ML601 message\`, 1-based,
                   \`script.py:2:5: ...\` for scripts, and a summary line;
                   json: one JSON document (0-based cell, line and column; per file
                   path, error, skipped, notices, findings with their fixes);
                   sarif: SARIF 2.1.0 for code scanning (regions point at the lines
                   of the .ipynb file that hold the flagged source)
  --select IDS     only these rules: comma-separated ids or prefixes (ML6, ML201)
  --ignore IDS     skip these rules: comma-separated ids or prefixes
  -h, --help       show this help

Options of --execute:
  --kernel NAME    the kernelspec to run (default: the notebook's, else python3);
                   it must be a Python (IPython) kernel
  --timeout SECONDS  limit for each cell (default 600); a cell over it stops the run
  --max-peak SIZE  MB001 when the kernel's peak memory over the run is above SIZE
  --max-cell-peak SIZE  MB002 on each cell whose own peak (above the memory held
                   when it started) is above SIZE
                   SIZE: bytes, or a number with KB, MB, GB (1000s) or KiB, MiB,
                   GiB (1024s), e.g. 2GB, 512MiB
  --python PYTHON  the Python with Jupyter (nbclient) and memlens-kernel that runs
                   the kernel (default: $MEMLENS_PYTHON, else python3)

Cells with syntax errors are analyzed outside the broken statement and reported
as notices (never as findings). Notebooks whose kernel language is not Python
are skipped with a message. Silence one line with \`# memlens: ignore\` or
\`# memlens: ignore[ML101]\`.

Exit status:
  0  no findings
  1  findings (budgets exceeded included)
  2  usage error, a file that cannot be read or is not a notebook or .py file,
     or with --execute a cell that raised or timed out, or a kernel that died

Examples:
  memlens lint analysis.ipynb
  memlens lint --format json notebooks/ > findings.json
  memlens lint --select ML6 --ignore ML603 --format sarif . > memlens.sarif
  memlens lint --execute --max-peak 2GB --max-cell-peak 500MB analysis.ipynb
`;

/** Version printed by `--version` and in SARIF. */
export const VERSION = '0.1.0';

/** Run the CLI; resolves to the exit status (0, 1 or 2). */
export async function main(
  argv: readonly string[],
  out: IOutput
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'lint': {
      if (rest.includes('--help') || rest.includes('-h')) {
        out.stdout(LINT_HELP);
        return 0;
      }
      const args = parseLintArgs(rest, process.env);
      if (typeof args === 'string') {
        out.stderr(`memlens: ${args}\n${USAGE}`);
        return 2;
      }
      return lint(args, out);
    }
    case 'rules':
      if (rest[0] === '--markdown') {
        out.stdout(rulesMarkdown(ALL_RULE_INFOS));
        return 0;
      }
      for (const rule of ALL_RULE_INFOS) {
        out.stdout(
          `${rule.id}  ${rule.severity.padEnd(7)}  ${rule.name.padEnd(28)}  ${rule.title}\n`
        );
      }
      return 0;
    case 'rule': {
      const rule = rest.length === 1 ? findRuleInfo(rest[0]) : undefined;
      if (!rule) {
        out.stderr(
          rest.length === 1
            ? `memlens: unknown rule ${rest[0]}; see \`memlens rules\`\n`
            : USAGE
        );
        return 2;
      }
      out.stdout(formatRuleDocs(rule));
      return 0;
    }
    case '--version':
    case '-V':
      out.stdout(`memlens ${VERSION}\n`);
      return 0;
    case '--help':
    case '-h':
    case 'help':
      out.stdout(HELP);
      return 0;
    default:
      out.stderr(
        command === undefined
          ? USAGE
          : `memlens: unknown command ${command}\n${USAGE}`
      );
      return 2;
  }
}

/** Parse `lint` options; a string is a usage error. */
export function parseLintArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {}
): ILintArgs | string {
  const args: ILintArgs = {
    format: 'text',
    select: [],
    ignore: [],
    paths: [],
    execute: null
  };
  let execute = false;
  const run: IExecuteArgs = {
    kernel: null,
    timeoutSeconds: 600,
    maxPeak: null,
    maxCellPeak: null,
    python: defaultPython(env)
  };
  const given: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const [flag, inline] =
      arg.startsWith('--') && eq > 0
        ? [arg.slice(0, eq), arg.slice(eq + 1)]
        : [arg, undefined];
    if (flag === '--format' || flag === '--select' || flag === '--ignore') {
      const value = inline ?? argv[++i];
      if (value === undefined) {
        return `${flag} needs a value`;
      }
      if (flag === '--format') {
        if (value !== 'text' && value !== 'json' && value !== 'sarif') {
          return `unknown format ${value} (text, json or sarif)`;
        }
        args.format = value;
        continue;
      }
      const ids = value
        .split(',')
        .map(id => id.trim().toUpperCase())
        .filter(id => id !== '');
      const unknown = ids.find(
        id => !ALL_RULE_INFOS.some(rule => rule.id.startsWith(id))
      );
      if (unknown) {
        return `unknown rule id ${unknown} in ${flag}`;
      }
      (flag === '--select' ? args.select : args.ignore).push(...ids);
    } else if (flag === '--execute') {
      execute = true;
    } else if (EXECUTE_OPTIONS.includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.trim() === '') {
        return `${flag} needs a value`;
      }
      given.push(flag);
      const problem = setExecuteOption(run, flag, value);
      if (problem) {
        return problem;
      }
    } else if (arg === '--') {
      args.paths.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option ${arg}`;
    } else {
      args.paths.push(arg);
    }
  }
  if (args.paths.length === 0) {
    return 'no PATH given';
  }
  if (!execute && given.length > 0) {
    return `${given[0]} needs --execute`;
  }
  args.execute = execute ? run : null;
  return args;
}

async function lint(args: ILintArgs, out: IOutput): Promise<number> {
  let parser: Parser;
  try {
    parser = await nodePythonParser();
  } catch (error) {
    out.stderr(`memlens: cannot load the Python parser: ${String(error)}\n`);
    return 2;
  }
  const results: IFileResult[] = [];
  for (const target of expandPaths(args.paths)) {
    results.push(await lintFile(parser, target.path, target.error, args, out));
  }
  parser.delete();
  if (args.format === 'json') {
    out.stdout(formatJson(results));
  } else if (args.format === 'sarif') {
    out.stdout(formatSarif(results, ALL_RULE_INFOS, VERSION));
  } else {
    out.stdout(formatText(results));
    for (const file of results.filter(r => r.error !== null)) {
      out.stderr(`${file.path}: error: ${file.error}\n`);
    }
  }
  if (results.some(file => file.error !== null)) {
    return 2;
  }
  return results.some(
    file => file.findings.length > 0 || file.runFindings.length > 0
  )
    ? 1
    : 0;
}

async function lintFile(
  parser: Parser,
  path: string,
  error: string | null,
  args: ILintArgs,
  out: IOutput
): Promise<IFileResult> {
  const result: IFileResult = {
    path,
    error,
    skipped: null,
    findings: [],
    runFindings: [],
    execution: null,
    notices: [],
    cellLines: null,
    locate: null
  };
  if (args.execute) {
    // replaced by the run's; stays empty for a file that is not run
    result.execution = {
      kernel: args.execute.kernel ?? 'python3',
      cells: [],
      peak_bytes: null
    };
  }
  if (error !== null) {
    return result;
  }
  const loaded = loadFile(path);
  result.error = loaded.error;
  result.skipped = loaded.skipped;
  result.cellLines = loaded.cellLines;
  const kernel = args.execute?.kernel ?? loaded.kernel ?? 'python3';
  if (result.execution) {
    result.execution.kernel = kernel;
  }
  if (args.execute && loaded.skipped !== null) {
    // asked to run it: a notebook memlens cannot run is an error, not a skip
    result.skipped = null;
    result.error = `cannot execute it: ${loaded.skipped}`;
  }
  if (result.error !== null || result.skipped !== null) {
    return result;
  }
  result.notices.push(
    ...loaded.notices.map(n => ({ ...n, line: 0, column: 0 }))
  );
  if (args.format === 'sarif' && loaded.cellLines === null && loaded.text) {
    result.locate = ipynbLocator(loaded.text);
  }
  let run: IRunResult | null = null;
  if (args.execute) {
    const options = args.execute;
    run = await executeCells(path, loaded.cells, loaded.tags, {
      python: options.python,
      kernel,
      timeoutSeconds: options.timeoutSeconds,
      thresholdBytes: DEFAULT_THRESHOLD_BYTES,
      onCell: out.isTTY ? progress(out, args.format, result) : undefined
    });
    result.execution = run.execution;
    result.error = run.error;
  }
  const selection = { select: args.select, ignore: args.ignore };
  const analyzer = new NotebookAnalyzer(parser, ALL_RULES);
  try {
    // the editor's path: the snapshot's facts sharpen the static findings
    result.findings = analyzer.analyze(loaded.cells, {
      ...selection,
      fileSize: fileSizes(path),
      live: liveFactsOf(run?.snapshot ?? null)
    });
    result.notices.push(...analyzer.notices());
    result.notices.sort((a, b) => a.cell - b.cell || a.line - b.line);
    if (run && args.execute) {
      result.runFindings = [
        ...liveFindings(run.snapshot, name => analyzer.bindingCell(name)),
        ...budgetFindings(run.execution, args.execute)
      ].filter(f => ruleEnabled(f.rule, selection));
    }
  } catch (failure) {
    result.error = `internal error: ${String(failure)}`;
    result.findings = [];
  } finally {
    analyzer.dispose();
  }
  return result;
}

/**
 * Print a progress line per cell (on a terminal only): with the text report
 * on stdout, beside a JSON or SARIF document on stderr.
 */
function progress(
  out: IOutput,
  format: ILintArgs['format'],
  file: IFileResult
): (cell: ICellRun) => void {
  return cell => {
    const line = progressLine(file.path, cell, file.cellLines);
    if (format === 'text') {
      out.stdout(line);
    } else {
      out.stderr(line);
    }
  };
}

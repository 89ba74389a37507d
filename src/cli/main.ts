/**
 * `memlens lint | rules | rule ID` (README.md, docs/rules.md). `main` takes the arguments
 * and output streams so tests can call it in-process.
 */
import type { Parser } from 'web-tree-sitter';
import { NotebookAnalyzer } from '../analyzer/engine/engine';
import { ALL_RULE_INFOS, findRuleInfo } from '../analyzer/rules/live-rules';
import { ALL_RULES } from '../analyzer/rules';
import { rulesMarkdown } from './rule-docs';
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
}

/** Parsed `lint` arguments. */
export interface ILintArgs {
  format: 'text' | 'json' | 'sarif';
  select: string[];
  ignore: string[];
  paths: string[];
}

const USAGE = `usage: memlens lint [--format text|json|sarif] [--select ID,...] [--ignore ID,...] PATH...
       memlens rules
       memlens rule ID
       memlens --help | --version
`;

const HELP = `memlens: find what eats a notebook's memory (static analysis of .ipynb and .py files)

${USAGE}
Commands:
  lint PATH...     analyze notebooks and scripts; see \`memlens lint --help\`
  rules            list every rule (ML: static, checked by lint; LV: live, in JupyterLab);
                   --markdown prints the whole catalog with its docs (docs/rules.md)
  rule ID          print one rule's documentation (e.g. \`memlens rule ML201\`)

Options:
  -h, --help       show this help (\`memlens lint --help\` for lint's options)
  -V, --version    print the version
`;

const LINT_HELP = `usage: memlens lint [--format text|json|sarif] [--select ID,...] [--ignore ID,...] PATH...

Analyze notebooks (.ipynb, nbformat 4 and 3) and Python scripts (.py; \`# %%\`
markers split cells) for memory anti-patterns. Directories are searched
recursively for .ipynb and .py files (.ipynb_checkpoints and .git are skipped).

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

Cells with syntax errors are analyzed outside the broken statement and reported
as notices (never as findings). Notebooks whose kernel language is not Python
are skipped with a message. Silence one line with \`# memlens: ignore\` or
\`# memlens: ignore[ML101]\`.

Exit status:
  0  no findings
  1  findings
  2  usage error, or a file that cannot be read or is not a notebook or .py file

Examples:
  memlens lint analysis.ipynb
  memlens lint --format json notebooks/ > findings.json
  memlens lint --select ML6 --ignore ML603 --format sarif . > memlens.sarif
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
      const args = parseLintArgs(rest);
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
export function parseLintArgs(argv: readonly string[]): ILintArgs | string {
  const args: ILintArgs = { format: 'text', select: [], ignore: [], paths: [] };
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
        id => !ALL_RULES.some(rule => rule.id.startsWith(id))
      );
      if (unknown) {
        return `unknown rule id ${unknown} in ${flag}`;
      }
      (flag === '--select' ? args.select : args.ignore).push(...ids);
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
    results.push(analyzeFile(parser, target.path, target.error, args));
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
  return results.some(file => file.findings.length > 0) ? 1 : 0;
}

function analyzeFile(
  parser: Parser,
  path: string,
  error: string | null,
  args: ILintArgs
): IFileResult {
  const result: IFileResult = {
    path,
    error,
    skipped: null,
    findings: [],
    notices: [],
    cellLines: null,
    locate: null
  };
  if (error !== null) {
    return result;
  }
  const loaded = loadFile(path);
  result.error = loaded.error;
  result.skipped = loaded.skipped;
  result.cellLines = loaded.cellLines;
  if (loaded.error !== null || loaded.skipped !== null) {
    return result;
  }
  result.notices.push(
    ...loaded.notices.map(n => ({ ...n, line: 0, column: 0 }))
  );
  if (args.format === 'sarif' && loaded.cellLines === null && loaded.text) {
    result.locate = ipynbLocator(loaded.text);
  }
  const analyzer = new NotebookAnalyzer(parser, ALL_RULES);
  try {
    result.findings = analyzer.analyze(loaded.cells, {
      select: args.select,
      ignore: args.ignore,
      fileSize: fileSizes(path)
    });
    result.notices.push(...analyzer.notices());
    result.notices.sort((a, b) => a.cell - b.cell || a.line - b.line);
  } catch (failure) {
    result.error = `internal error: ${String(failure)}`;
    result.findings = [];
  } finally {
    analyzer.dispose();
  }
  return result;
}

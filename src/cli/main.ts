/**
 * `memlens lint | rules | rule ID` (CONTRACTS.md §1). `main` takes the
 * arguments and output streams so tests can call it in-process.
 */
import type { Parser } from 'web-tree-sitter';
import { NotebookAnalyzer } from '../analysis/engine';
import { ALL_RULES, findRule } from '../analysis/rules';
import { expandPaths } from './files';
import {
  formatJson,
  formatRuleDocs,
  formatSarif,
  formatText,
  IFileResult
} from './format';
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
      const args = parseLintArgs(rest);
      if (typeof args === 'string') {
        out.stderr(`memlens: ${args}\n${USAGE}`);
        return 2;
      }
      return lint(args, out);
    }
    case 'rules':
      for (const rule of ALL_RULES) {
        out.stdout(
          `${rule.id}  ${rule.severity.padEnd(7)}  ${rule.name.padEnd(28)}  ${rule.title}\n`
        );
      }
      return 0;
    case 'rule': {
      const rule = rest.length === 1 ? findRule(rest[0]) : undefined;
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
      out.stdout(`memlens ${VERSION}\n`);
      return 0;
    case '--help':
    case '-h':
      out.stdout(USAGE);
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
    out.stdout(formatSarif(results, ALL_RULES, VERSION));
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
  if (error !== null) {
    return { path, error, findings: [], cellLines: null };
  }
  const loaded = loadFile(path);
  if (loaded.error !== null) {
    return { path, error: loaded.error, findings: [], cellLines: null };
  }
  const analyzer = new NotebookAnalyzer(parser, ALL_RULES);
  try {
    const findings = analyzer.analyze(loaded.cells, {
      select: args.select,
      ignore: args.ignore
    });
    return {
      path,
      error: null,
      findings,
      cellLines: path.endsWith('.py') ? loaded.cellLines : null
    };
  } catch (failure) {
    return {
      path,
      error: `internal error: ${String(failure)}`,
      findings: [],
      cellLines: null
    };
  } finally {
    analyzer.dispose();
  }
}

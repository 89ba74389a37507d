/**
 * IPython syntax masking. Notebook cells are not plain Python: magics, shell
 * escapes, help and auto-call lines would turn into syntax errors and hide
 * findings. They are replaced by placeholders of the SAME length, line for
 * line, so every position in the masked text is a position in the source.
 */
import { ILineInfo, scan } from './scan';

/** The result of masking one code cell. */
export interface IMaskedCell {
  /** Same length and lines as the source; IPython-only syntax replaced. */
  masked: string;
  /** True when the cell is not Python at all (`%%bash`, `%%sql`...). */
  skip: boolean;
  /** Name of the cell magic on the first line, if any (`time`, `bash`). */
  cellMagic: string | null;
  /** Deepest bracket nesting (pathological input guard). */
  maxDepth: number;
}

/** Cell magics whose body is ordinary Python run in the user namespace. */
const PYTHON_CELL_MAGICS = new Set([
  'time',
  'timeit',
  'capture',
  'prun',
  'memit',
  'debug',
  'mprun'
]);

/** Line magics whose argument is a Python statement we keep. */
const STATEMENT_MAGICS = new Set(['time', 'timeit', 'memit']);

/** `timeit`/`memit` options that take a value. */
const VALUE_OPTIONS = /^-[nrpi](\d+|\s+\d+)?\s+|^-[a-z]\s+/;

const COMPOUND =
  /^(for|while|if|with|def|class|try|async|elif|else|except|finally|match|@)\b/;

/** Mask the IPython-only syntax of one cell's source. */
export function maskCell(source: string): IMaskedCell {
  const { lines, maxDepth } = scan(source);
  const out = lines.map(line => line.text);
  let cellMagic: string | null = null;
  const first = lines.findIndex(line => line.text.trim() !== '');
  if (first >= 0 && lines[first].text.startsWith('%%')) {
    cellMagic = /^%%([\w-]*)/.exec(lines[first].text)?.[1] ?? '';
    if (!PYTHON_CELL_MAGICS.has(cellMagic)) {
      return { masked: source, skip: true, cellMagic, maxDepth };
    }
    out[first] = blank(lines[first].text);
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.logical || (i === first && cellMagic !== null)) {
      continue;
    }
    const masked = maskLine(line);
    if (masked === null) {
      continue;
    }
    out[i] = masked;
    // A masked line continued with `\` takes its continuation lines along.
    while (code(lines[i]).trimEnd().endsWith('\\') && i + 1 < lines.length) {
      i++;
      out[i] = blank(lines[i].text);
    }
  }
  return { masked: out.join('\n'), skip: false, cellMagic, maxDepth };
}

/** The masked text of a logical line, or null when it is plain Python. */
function maskLine(line: ILineInfo): string | null {
  const text = code(line);
  const indent = /^\s*/.exec(text)![0].length;
  const body = text.slice(indent);
  if (body === '') {
    return null;
  }
  const head = body[0];
  if (head === '%' || head === '!') {
    return keepStatement(line.text, indent) ?? placeholder(line.text, indent);
  }
  if (head === '?' || /^[/,;][A-Za-z_]/.test(body)) {
    return placeholder(line.text, indent);
  }
  const assign = /^([\w.]+(?:\s*,\s*[\w.]+)*\s*=\s*)(!|%[A-Za-z_])/.exec(body);
  if (assign) {
    const at = indent + assign[1].length;
    return line.text.slice(0, at) + '0' + blank(line.text.slice(at + 1));
  }
  const help = /^[\w.]+(\?\??)\s*$/.exec(body);
  if (help) {
    const at = indent + body.indexOf('?');
    const marks = help[1].length === 1 ? ';' : '; ';
    return (
      line.text.slice(0, at) + marks + line.text.slice(at + help[1].length)
    );
  }
  if (/^[\w.*]+\?+\s*$/.test(body)) {
    return placeholder(line.text, indent);
  }
  return null;
}

/**
 * `%time x = f()` → `0    ;x = f()`: the statement keeps its exact columns.
 * Returns null when the magic's argument is not a simple statement.
 */
function keepStatement(text: string, indent: number): string | null {
  const match = /^%(\w+)\s+/.exec(text.slice(indent));
  if (!match || !STATEMENT_MAGICS.has(match[1])) {
    return null;
  }
  let at = indent + match[0].length;
  for (let option = VALUE_OPTIONS.exec(text.slice(at)); option;) {
    at += option[0].length;
    option = VALUE_OPTIONS.exec(text.slice(at));
  }
  const statement = text.slice(at);
  if (statement.trim() === '' || COMPOUND.test(statement)) {
    return null;
  }
  return (
    text.slice(0, indent) + '0' + ' '.repeat(at - indent - 2) + ';' + statement
  );
}

/** `pass` (or `0` when shorter) at the line's indentation, padded. */
function placeholder(text: string, indent: number): string {
  const width = text.length - indent;
  const stub = width >= 4 ? 'pass' : '0';
  return text.slice(0, indent) + stub + ' '.repeat(width - stub.length);
}

/** The code part of a line, without its comment. */
function code(line: ILineInfo): string {
  return line.comment < 0 ? line.text : line.text.slice(0, line.comment);
}

function blank(text: string): string {
  return text.replace(/[^\r]/g, ' ');
}

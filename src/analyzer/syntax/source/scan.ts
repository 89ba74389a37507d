/**
 * A light Python tokenizer pass over raw cell text: for every physical line,
 * does it start a new logical line (not inside a string, brackets or a
 * backslash continuation), and where does its comment start? This is what
 * IPython-syntax masking needs to avoid touching `%` or `!` inside
 * expressions and strings.
 */

/** Per physical line facts. */
export interface ILineInfo {
  /** Offset of the line's first character in the source. */
  start: number;
  /** Line text without its `\n`. */
  text: string;
  /** True when the line begins a new logical line. */
  logical: boolean;
  /** Column where a `#` comment starts, or -1. */
  comment: number;
}

/** Scan `source` into per-line facts (one entry per `\n`-separated line). */
export function scanLines(source: string): ILineInfo[] {
  return scan(source).lines;
}

/** Per-line facts and the deepest bracket nesting of `source`. */
export function scan(source: string): { lines: ILineInfo[]; maxDepth: number } {
  let maxDepth = 0;
  const lines: ILineInfo[] = [];
  let depth = 0;
  let quote = ''; // the open string's delimiter: ' " ''' """
  let continued = false;
  let lineStart = 0;
  let current: ILineInfo = newLine(0, true);
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i];
    if (ch === '\n') {
      current.text = source.slice(lineStart, i);
      lines.push(current);
      if (quote.length === 1) {
        quote = ''; // an unterminated one-line string ends at the newline
      }
      lineStart = i + 1;
      current = newLine(lineStart, !quote && depth === 0 && !continued);
      continued = false;
      i++;
      continue;
    }
    if (quote) {
      if (ch === '\\') {
        i += 2;
        if (source[i - 1] === '\n') {
          i--; // let the newline be handled above
        }
        continue;
      }
      if (source.startsWith(quote, i)) {
        i += quote.length;
        quote = '';
        continue;
      }
      i++;
      continue;
    }
    if (ch === '\r') {
      i++;
      continue;
    }
    continued = false;
    if (ch === '#') {
      current.comment = i - lineStart;
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = source.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      i += quote.length;
      continue;
    }
    if (ch === '\\') {
      continued = source[i + 1] === '\n' || source.startsWith('\r\n', i + 1);
    } else if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    }
    i++;
  }
  current.text = source.slice(lineStart);
  lines.push(current);
  return { lines, maxDepth };
}

function newLine(start: number, logical: boolean): ILineInfo {
  return { start, text: '', logical, comment: -1 };
}

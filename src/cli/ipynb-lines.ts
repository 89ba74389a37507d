/**
 * Where a cell's source line stands in the `.ipynb` file's own text, so that
 * SARIF annotations (GitHub code scanning) land on the JSON line that holds
 * it. Streams the JSON with jsonc-parser's visitor: outputs are skipped, not
 * kept, so big notebooks cost one pass.
 */
import { visit } from 'jsonc-parser';

/** A 0-based position in the file's text. */
export interface IFilePosition {
  line: number;
  column: number;
}

/** One string of a cell's source: its first source line and its token. */
interface IPiece {
  /** 0-based source line of the cell where the piece starts. */
  firstLine: number;
  /** The decoded string. */
  value: string;
  /** Offset of the token (its opening quote) in the file text. */
  offset: number;
  /** 0-based file line and column of the opening quote. */
  fileLine: number;
  fileColumn: number;
}

type Frame =
  { kind: 'object'; key: string | null } | { kind: 'array'; index: number };

/**
 * A function from a cell position (0-based cell index among all cells, line
 * and UTF-16 column inside the cell source) to its 0-based position in the
 * notebook file, or null when the source is not found (then callers fall
 * back to the top of the file).
 */
export function ipynbLocator(
  text: string
): (cell: number, line: number, column: number) => IFilePosition | null {
  const pieces = sourcePieces(text);
  return (cell, line, column) => {
    const list = pieces.get(cell);
    if (!list) {
      return null;
    }
    let piece: IPiece | undefined;
    for (const candidate of list) {
      if (candidate.firstLine > line) {
        break;
      }
      piece = candidate;
    }
    if (!piece) {
      return null;
    }
    // Decoded offset of the line start inside this piece, plus the column.
    let start = 0;
    for (let l = piece.firstLine; l < line; l++) {
      start = piece.value.indexOf('\n', start) + 1;
    }
    const decoded = Math.min(start + column, piece.value.length);
    const raw = rawOffset(text, piece.offset, decoded);
    return { line: piece.fileLine, column: piece.fileColumn + raw };
  };
}

/** The source strings of every cell, by notebook cell index. */
function sourcePieces(text: string): Map<number, IPiece[]> {
  const pieces = new Map<number, IPiece[]>();
  const stack: Frame[] = [];
  let cellIndex = -1;
  const lineCount = new Map<number, number>();
  // Advance the index of the enclosing array before each of its values.
  const enterValue = () => {
    const top = stack[stack.length - 1];
    if (top?.kind === 'array') {
      top.index++;
    }
  };
  const isCellFrame = () => {
    // nbformat 4: cells[i]; nbformat 3: worksheets[w].cells[i]
    const n = stack.length;
    return (
      (n === 2 && keyAt(stack, 0) === 'cells') ||
      (n === 4 &&
        keyAt(stack, 0) === 'worksheets' &&
        keyAt(stack, 2) === 'cells')
    );
  };
  const sourceDepth = () => {
    const n = stack.length;
    // ...cell{source|input} (string) or ...cell{source|input}[j] (list)
    for (const depth of [3, 5]) {
      const cellDepth = depth === 3 ? 2 : 4;
      const base =
        depth === 3
          ? keyAt(stack, 0) === 'cells'
          : keyAt(stack, 0) === 'worksheets' && keyAt(stack, 2) === 'cells';
      if (!base) {
        continue;
      }
      const key = keyAt(stack, cellDepth);
      if (key !== 'source' && key !== 'input') {
        continue;
      }
      if (n === depth || (n === depth + 1 && stack[n - 1].kind === 'array')) {
        return true;
      }
    }
    return false;
  };
  visit(
    text,
    {
      onObjectBegin: () => {
        enterValue();
        if (isCellFrame()) {
          cellIndex++;
        }
        stack.push({ kind: 'object', key: null });
      },
      onObjectProperty: property => {
        const top = stack[stack.length - 1];
        if (top?.kind === 'object') {
          top.key = property;
        }
      },
      onObjectEnd: () => {
        stack.pop();
      },
      onArrayBegin: () => {
        enterValue();
        stack.push({ kind: 'array', index: -1 });
      },
      onArrayEnd: () => {
        stack.pop();
      },
      onLiteralValue: (value, offset, _length, startLine, startCharacter) => {
        enterValue();
        if (typeof value !== 'string' || cellIndex < 0 || !sourceDepth()) {
          return;
        }
        const firstLine = lineCount.get(cellIndex) ?? 0;
        const list = pieces.get(cellIndex) ?? [];
        list.push({
          firstLine,
          value,
          offset,
          fileLine: startLine,
          fileColumn: startCharacter
        });
        pieces.set(cellIndex, list);
        lineCount.set(cellIndex, firstLine + countNewlines(value));
      }
    },
    { disallowComments: true }
  );
  return pieces;
}

function keyAt(stack: Frame[], depth: number): string | null {
  const frame = stack[depth];
  return frame?.kind === 'object' ? frame.key : null;
}

function countNewlines(value: string): number {
  let count = 0;
  for (
    let at = value.indexOf('\n');
    at >= 0;
    at = value.indexOf('\n', at + 1)
  ) {
    count++;
  }
  return count;
}

/**
 * Characters of the JSON token from its opening quote to the decoded
 * character `decoded`: escapes take 2 characters (`\n`) or 6 (`\u00e9`).
 */
function rawOffset(text: string, tokenStart: number, decoded: number): number {
  let raw = tokenStart + 1;
  for (let seen = 0; seen < decoded && raw < text.length; seen++) {
    if (text[raw] === '\\') {
      raw += text[raw + 1] === 'u' ? 6 : 2;
    } else {
      raw += 1;
    }
  }
  return raw - tokenStart;
}

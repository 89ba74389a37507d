/**
 * Reading notebooks and percent-format scripts from disk into analyzer
 * cells, with a clear error message for anything that is not one.
 */
import * as fs from 'fs';
import type { ICellInput } from '../analysis/engine';

/** A file read for analysis: its cells, or why it could not be read. */
export type LoadedFile =
  | { cells: ICellInput[]; error: null; cellLines: number[] }
  | { cells: null; error: string; cellLines: null };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Read `.ipynb` or `.py` at `path`. Never throws. */
export function loadFile(path: string): LoadedFile {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (error) {
    return failure(`cannot read file: ${reason(error)}`);
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return failure('not valid UTF-8');
  }
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  return path.toLowerCase().endsWith('.ipynb')
    ? parseNotebook(text)
    : parsePercentScript(text);
}

/** Cells of an nbformat 4 notebook's JSON text. */
export function parseNotebook(text: string): LoadedFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return failure(`not a notebook: invalid JSON (${reason(error)})`);
  }
  if (!isObject(json)) {
    return failure('not a notebook: the JSON document is not an object');
  }
  if (json.nbformat !== 4) {
    const found =
      json.nbformat === undefined ? 'missing' : JSON.stringify(json.nbformat);
    return failure(`not an nbformat 4 notebook (nbformat is ${found})`);
  }
  if (!Array.isArray(json.cells)) {
    return failure('invalid nbformat 4 notebook: "cells" is not a list');
  }
  const cells: ICellInput[] = [];
  for (const [index, cell] of json.cells.entries()) {
    if (!isObject(cell) || typeof cell.cell_type !== 'string') {
      return failure(
        `invalid nbformat 4 notebook: cell ${index + 1} has no cell_type`
      );
    }
    const source = Array.isArray(cell.source)
      ? cell.source.every(part => typeof part === 'string')
        ? cell.source.join('')
        : null
      : typeof cell.source === 'string'
        ? cell.source
        : null;
    if (source === null) {
      return failure(
        `invalid nbformat 4 notebook: cell ${index + 1} has no source text`
      );
    }
    const kind =
      cell.cell_type === 'code'
        ? 'code'
        : cell.cell_type === 'markdown'
          ? 'markdown'
          : 'raw';
    cells.push({
      kind,
      source,
      ...(typeof cell.id === 'string' ? { id: cell.id } : {})
    });
  }
  return { cells, error: null, cellLines: cells.map(() => 0) };
}

/**
 * Cells of a Python script: `# %%` lines start cells (`# %% [markdown]`
 * cells are markdown); a script without markers is one cell.
 * `cellLines` is the 0-based file line where each cell's source starts.
 */
export function parsePercentScript(text: string): LoadedFile {
  const lines = text.split('\n');
  const markers: number[] = [];
  lines.forEach((line, index) => {
    if (/^#\s*%%/.test(line)) {
      markers.push(index);
    }
  });
  if (markers.length === 0) {
    return {
      cells: [{ kind: 'code', source: text }],
      error: null,
      cellLines: [0]
    };
  }
  const cells: ICellInput[] = [];
  const cellLines: number[] = [];
  if (lines.slice(0, markers[0]).join('').trim() !== '') {
    cells.push({ kind: 'code', source: lines.slice(0, markers[0]).join('\n') });
    cellLines.push(0);
  }
  markers.forEach((marker, i) => {
    const end = i + 1 < markers.length ? markers[i + 1] : lines.length;
    const header = lines[marker];
    const kind = /\[\s*(markdown|md)\s*\]/.test(header)
      ? 'markdown'
      : /\[\s*raw\s*\]/.test(header)
        ? 'raw'
        : 'code';
    cells.push({ kind, source: lines.slice(marker + 1, end).join('\n') });
    cellLines.push(marker + 1);
  });
  return { cells, error: null, cellLines };
}

function failure(error: string): LoadedFile {
  return { cells: null, error, cellLines: null };
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code
      ? `${code}: ${error.message.replace(/^\w+: /, '')}`
      : error.message;
  }
  return String(error);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reading notebooks (nbformat 4 and 3) and percent-format scripts from disk
 * into analyzer cells, with a clear message for anything that is not one.
 */
import * as fs from 'fs';
import type { ICellInput } from '../analyzer/engine/engine';

/** A cell that was kept out of the analysis, and why (0-based cell). */
export interface ILoadNotice {
  cell: number;
  message: string;
}

/** A file read for analysis. */
export interface ILoadedFile {
  /** Every cell of the notebook in order (all worksheets for nbformat 3). */
  cells: ICellInput[];
  /** Why the file cannot be analyzed at all, or null. */
  error: string | null;
  /**
   * Why the file was deliberately not analyzed (a notebook whose kernel
   * language is not Python), or null. Not an error.
   */
  skipped: string | null;
  /** Cells left out (e.g. a source that is not text); the rest is analyzed. */
  notices: ILoadNotice[];
  /** `.py` files: the 0-based file line where each cell's source starts. */
  cellLines: number[] | null;
  /** The raw text, kept to map cell lines to `.ipynb` lines for SARIF. */
  text: string | null;
  /** The kernelspec name the notebook's metadata names, or null. */
  kernel: string | null;
  /**
   * Each cell's `metadata.tags` (notebooks), by index: `--execute` honours
   * `raises-exception` and `skip-execution` as nbconvert does.
   */
  tags: string[][];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** True for the file names the CLI analyzes. */
export function isAnalyzable(path: string): boolean {
  return /\.(ipynb|py)$/i.test(path);
}

/** Read `.ipynb` or `.py` at `path`. Never throws. */
export function loadFile(path: string): ILoadedFile {
  if (!isAnalyzable(path)) {
    return failure(
      'not a notebook or Python file (memlens reads .ipynb and .py files)'
    );
  }
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

/** Cells of a notebook's JSON text (nbformat 4, or 3 read like 4). */
export function parseNotebook(text: string): ILoadedFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return failure(`not a notebook: invalid JSON (${reason(error)})`);
  }
  if (!isObject(json)) {
    return failure('not a notebook: the JSON document is not an object');
  }
  let raw: unknown[];
  if (json.nbformat === 4) {
    if (!Array.isArray(json.cells)) {
      return failure('invalid nbformat 4 notebook: "cells" is not a list');
    }
    raw = json.cells;
  } else if (json.nbformat === 3) {
    if (!Array.isArray(json.worksheets)) {
      return failure('invalid nbformat 3 notebook: "worksheets" is not a list');
    }
    raw = json.worksheets.flatMap(sheet =>
      isObject(sheet) && Array.isArray(sheet.cells) ? sheet.cells : []
    );
  } else {
    const found =
      json.nbformat === undefined ? 'missing' : JSON.stringify(json.nbformat);
    return failure(
      `unsupported notebook format (nbformat is ${found}; memlens reads nbformat 4 and 3 — open and save it in Jupyter to upgrade it)`
    );
  }
  const language = notebookLanguage(json, raw);
  if (language !== null && !/^(i?python\d*)$/i.test(language)) {
    return {
      ...empty(),
      kernel: kernelName(json),
      skipped: `the notebook's kernel language is ${language}; memlens analyzes Python notebooks only`
    };
  }
  const loaded = empty();
  loaded.text = text;
  loaded.kernel = kernelName(json);
  raw.forEach((cell, index) => {
    const { input, notice } = readCell(cell);
    loaded.cells.push(input);
    loaded.tags.push(cellTags(cell));
    if (notice) {
      loaded.notices.push({ cell: index, message: notice });
    }
  });
  return loaded;
}

/** One cell as analyzer input; a cell that cannot be read becomes raw. */
function readCell(cell: unknown): { input: ICellInput; notice?: string } {
  if (!isObject(cell) || typeof cell.cell_type !== 'string') {
    return {
      input: { kind: 'raw', source: '' },
      notice: 'not a valid cell (no cell_type), cell skipped'
    };
  }
  const isCode = cell.cell_type === 'code';
  // nbformat 3 keeps code in `input`; everything else uses `source`.
  const value = isCode && 'input' in cell ? cell.input : cell.source;
  const source = sourceText(value);
  const id = typeof cell.id === 'string' ? { id: cell.id } : {};
  if (source === null) {
    return {
      input: { kind: 'raw', source: '', ...id },
      notice: 'the cell source is not text, cell skipped'
    };
  }
  const kind = isCode ? 'code' : cell.cell_type === 'raw' ? 'raw' : 'markdown';
  const outputs = isCode ? outputText(cell.outputs) : '';
  return { input: { kind, source, ...id, ...(outputs ? { outputs } : {}) } };
}

/**
 * The plain text of a code cell's saved outputs: stream text and the
 * `text/plain` of results and displays (nbformat 3 keeps it in `text`).
 */
function outputText(outputs: unknown): string {
  if (!Array.isArray(outputs)) {
    return '';
  }
  const parts: string[] = [];
  for (const output of outputs) {
    if (!isObject(output)) {
      continue;
    }
    const data = isObject(output.data) ? output.data['text/plain'] : undefined;
    const text = sourceText(data ?? output.text);
    if (text) {
      parts.push(text);
    }
  }
  return parts.join('\n');
}

/** A cell source as text: a string, a list of strings, or null. */
function sourceText(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value) && value.every(part => typeof part === 'string')) {
    return value.join('');
  }
  return value === undefined ? '' : null;
}

/** A cell's `metadata.tags` strings (none when absent or malformed). */
function cellTags(cell: unknown): string[] {
  const metadata =
    isObject(cell) && isObject(cell.metadata) ? cell.metadata : {};
  return Array.isArray(metadata.tags)
    ? metadata.tags.filter((tag): tag is string => typeof tag === 'string')
    : [];
}

/** `metadata.kernelspec.name` when it is a non-empty string, else null. */
function kernelName(json: Record<string, unknown>): string | null {
  const metadata = isObject(json.metadata) ? json.metadata : {};
  const name = isObject(metadata.kernelspec)
    ? metadata.kernelspec.name
    : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
}

/** The notebook's kernel language when it says one, else null. */
function notebookLanguage(
  json: Record<string, unknown>,
  cells: unknown[]
): string | null {
  const metadata = isObject(json.metadata) ? json.metadata : {};
  const candidates = [
    isObject(metadata.kernelspec) ? metadata.kernelspec.language : undefined,
    isObject(metadata.language_info) ? metadata.language_info.name : undefined,
    metadata.language
  ];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim() !== '') {
      return candidate.trim();
    }
  }
  // nbformat 3: each code cell names its language.
  for (const cell of cells) {
    if (isObject(cell) && cell.cell_type === 'code') {
      return typeof cell.language === 'string' ? cell.language : null;
    }
  }
  return null;
}

/**
 * Cells of a Python script: `# %%` lines start cells (`# %% [markdown]`
 * cells are markdown); a script without markers is one cell.
 * `cellLines` is the 0-based file line where each cell's source starts.
 */
export function parsePercentScript(text: string): ILoadedFile {
  const lines = text.split('\n');
  const markers: number[] = [];
  lines.forEach((line, index) => {
    if (/^#\s*%%/.test(line)) {
      markers.push(index);
    }
  });
  const loaded = empty();
  loaded.text = text;
  loaded.cellLines = [];
  if (markers.length === 0) {
    loaded.cells.push({ kind: 'code', source: text });
    loaded.cellLines.push(0);
    return loaded;
  }
  if (lines.slice(0, markers[0]).join('').trim() !== '') {
    loaded.cells.push({
      kind: 'code',
      source: lines.slice(0, markers[0]).join('\n')
    });
    loaded.cellLines.push(0);
  }
  markers.forEach((marker, i) => {
    const end = i + 1 < markers.length ? markers[i + 1] : lines.length;
    const header = lines[marker];
    const kind = /\[\s*(markdown|md)\s*\]/.test(header)
      ? 'markdown'
      : /\[\s*raw\s*\]/.test(header)
        ? 'raw'
        : 'code';
    loaded.cells.push({
      kind,
      source: lines.slice(marker + 1, end).join('\n')
    });
    loaded.cellLines!.push(marker + 1);
  });
  return loaded;
}

function empty(): ILoadedFile {
  return {
    cells: [],
    error: null,
    skipped: null,
    notices: [],
    cellLines: null,
    text: null,
    kernel: null,
    tags: []
  };
}

function failure(error: string): ILoadedFile {
  return { ...empty(), error };
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

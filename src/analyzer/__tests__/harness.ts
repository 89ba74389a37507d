/**
 * Test helpers for rules: parse real Python with the real grammar, run rules
 * through the engine, apply fixes.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import { analyzeCells, ICellInput } from '../engine/engine';
import { createPythonParser } from '../syntax/parser';
import type {
  IFinding,
  INotebookRule,
  INotebookRuleContext,
  IRule,
  ITextEdit
} from '../types';

const root = path.resolve(__dirname, '..', '..', '..');
let parser: Promise<Parser> | null = null;

/** A shared parser loaded from node_modules' wasm files. */
export function testParser(): Promise<Parser> {
  parser ??= createPythonParser({
    runtime: new Uint8Array(
      fs.readFileSync(
        path.join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm')
      )
    ),
    python: new Uint8Array(
      fs.readFileSync(
        path.join(
          root,
          'node_modules/tree-sitter-python/tree-sitter-python.wasm'
        )
      )
    )
  });
  return parser;
}

/** Code cells from sources (a string is one cell). */
export function codeCells(sources: string | string[]): ICellInput[] {
  return (typeof sources === 'string' ? [sources] : sources).map(source => ({
    kind: 'code',
    source
  }));
}

/** Findings of `rule` alone on the given cell sources. */
export async function check(
  rule: IRule,
  sources: string | string[]
): Promise<IFinding[]> {
  return analyzeCells(await testParser(), codeCells(sources), {
    rules: [rule]
  });
}

/** Apply edits (any order, non-overlapping) to the cells' sources. */
export function applyEdits(sources: string[], edits: ITextEdit[]): string[] {
  const result = [...sources];
  const sorted = [...edits].sort(
    (a, b) => b.cell - a.cell || b.line - a.line || b.column - a.column
  );
  for (const edit of sorted) {
    const lines = result[edit.cell].split('\n');
    const start = offset(lines, edit.line, edit.column);
    const end = offset(lines, edit.endLine, edit.endColumn);
    const text = result[edit.cell];
    result[edit.cell] = text.slice(0, start) + edit.text + text.slice(end);
  }
  return result;
}

function offset(lines: string[], line: number, column: number): number {
  let total = 0;
  for (let i = 0; i < line; i++) {
    total += lines[i].length + 1;
  }
  return total + column;
}

/** True when `source` parses without ERROR or MISSING nodes. */
export async function parsesCleanly(source: string): Promise<boolean> {
  const tree = (await testParser()).parse(source);
  const ok = tree !== null && !tree.rootNode.hasError;
  tree?.delete();
  return ok;
}

/**
 * Apply the only finding of `rule` on `sources`: the result must parse and
 * the rule must be silent on it. Returns the fixed sources.
 */
export async function applyOnlyFix(
  rule: IRule,
  sources: string[]
): Promise<string[]> {
  const findings = await check(rule, sources);
  expect(findings).toHaveLength(1);
  const result = applyEdits(sources, findings[0].fix!.edits);
  for (const source of result) {
    expect(await parsesCleanly(source)).toBe(true);
  }
  expect(await check(rule, result)).toHaveLength(0);
  return result;
}

/** A notebook rule that reports nothing and hands each run's context to `check`. */
export function spyRule(
  check: (context: INotebookRuleContext) => void
): INotebookRule {
  return {
    id: 'ML990',
    name: 'spy',
    title: 'spy',
    severity: 'hint',
    scope: 'notebook',
    docs: { why: '', whatToDo: '', bad: '', good: '' },
    check
  };
}

import type { Parser } from 'web-tree-sitter';
import runtimeWasm from 'web-tree-sitter/web-tree-sitter.wasm';
import pythonWasm from 'tree-sitter-python/tree-sitter-python.wasm';
import { NotebookAnalyzer } from '../analysis/engine';
import { createPythonParser } from '../analysis/parser';
import { ALL_RULES } from '../analysis/rules';
import type { IRule } from '../analysis/types';

/**
 * The analyzer in the browser: loads tree-sitter and the Python grammar
 * (bundled as static wasm assets) once, and creates one incremental
 * analyzer per notebook.
 */
export class AnalysisService {
  /** Every rule, for documentation and settings. */
  readonly rules: readonly IRule[] = ALL_RULES;

  /** A new incremental analyzer (the parser is loaded on first use). */
  async createAnalyzer(): Promise<NotebookAnalyzer> {
    return new NotebookAnalyzer(await this._parser(), ALL_RULES);
  }

  private _parser(): Promise<Parser> {
    return createPythonParser({ runtime: runtimeWasm, python: pythonWasm });
  }
}

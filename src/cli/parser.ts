/** Loading the tree-sitter wasm files from node_modules (node only). */
import * as fs from 'fs';
import type { Parser } from 'web-tree-sitter';
import { createPythonParser } from '../analyzer/syntax/parser';

/** A Python parser whose wasm binaries come from the installed packages. */
export function nodePythonParser(): Promise<Parser> {
  const bytes = (id: string) =>
    new Uint8Array(fs.readFileSync(require.resolve(id)));
  return createPythonParser({
    runtime: bytes('web-tree-sitter/web-tree-sitter.wasm'),
    python: bytes('tree-sitter-python/tree-sitter-python.wasm')
  });
}

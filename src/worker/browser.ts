/**
 * What only the bundled browser build has: the worker chunk and the wasm
 * asset URLs. Kept apart so that jest (CommonJS, no `import.meta`, no
 * `.wasm` modules) never loads it.
 */
import runtimeWasm from 'web-tree-sitter/web-tree-sitter.wasm';
import pythonWasm from 'tree-sitter-python/tree-sitter-python.wasm';
import type { IParserAssets } from '../analyzer/syntax/parser';
import type { IWorkerLike } from './client';

/**
 * Start the analysis worker. The bundler sees this exact form, emits
 * `analysis.worker.js` and what it imports as a separate chunk, and
 * replaces the URL with the chunk's URL under the extension's public
 * path. Throws where workers are not allowed (e.g. a CSP).
 */
export function spawnAnalysisWorker(): IWorkerLike {
  return new Worker(new URL('./analysis.worker.js', import.meta.url), {
    name: 'memlens-analysis'
  }) as unknown as IWorkerLike;
}

/**
 * The wasm files as absolute URLs: the worker resolves relative URLs
 * against its own script, not against the page.
 */
export function browserParserAssets(): IParserAssets {
  const absolute = (url: string) => new URL(url, document.baseURI).href;
  return { runtime: absolute(runtimeWasm), python: absolute(pythonWasm) };
}

/**
 * Loading tree-sitter and the Python grammar. The caller says where the two
 * wasm files are (bytes in node, URLs in the browser), so this file stays
 * free of node and bundler specifics.
 */
import { Language, Parser } from 'web-tree-sitter';

/** Where to find the wasm binaries. */
export interface IParserAssets {
  /** URL or bytes of `web-tree-sitter.wasm`; omitted: the package default. */
  runtime?: string | Uint8Array;
  /** URL or bytes of `tree-sitter-python.wasm`. */
  python: string | Uint8Array;
}

let ready: Promise<Language> | null = null;

/**
 * Initialise tree-sitter once and return a new Python parser.
 * Parsers are cheap; the runtime and language are loaded only once.
 */
export async function createPythonParser(
  assets: IParserAssets
): Promise<Parser> {
  if (!ready) {
    ready = initialise(assets);
    ready.catch(() => (ready = null));
  }
  const language = await ready;
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

async function initialise(assets: IParserAssets): Promise<Language> {
  const { runtime } = assets;
  if (runtime instanceof Uint8Array) {
    await Parser.init({ wasmBinary: runtime });
  } else if (typeof runtime === 'string') {
    await Parser.init({ locateFile: () => runtime });
  } else {
    await Parser.init();
  }
  return Language.load(assets.python);
}

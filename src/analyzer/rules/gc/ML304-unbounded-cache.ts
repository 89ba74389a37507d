/**
 * ML304: an unbounded functools cache (`@cache`, `@lru_cache(maxsize=None)`)
 * on a function whose parameters look like big data. Every distinct call
 * keeps its arguments and its result alive for the life of the process.
 */
import type { SyntaxNode } from '../../syntax/syntax';
import type { ICellRule } from '../../types';
import { cacheDecorator, cellAliases } from '../helpers/names';
import { nodeRange } from '../../syntax/tree';
import { decoratorsOf, instanceParameter } from '../../semantic/definitions';

/** Last `_`-separated word of a parameter name that suggests a big value. */
const LARGE_WORDS = new Set([
  'df',
  'dfs',
  'frame',
  'frames',
  'dataframe',
  'data',
  'dataset',
  'table',
  'series',
  'arr',
  'array',
  'arrays',
  'matrix',
  'mat',
  'tensor',
  'tensors',
  'image',
  'images',
  'img',
  'imgs',
  'list',
  'lst',
  'dict',
  'mapping',
  'rows',
  'records',
  'items',
  'values',
  'docs',
  'texts',
  'corpus'
]);

/** Annotations of container / array types. */
const LARGE_ANNOTATION =
  /\b(DataFrame|Series|ndarray|NDArray|Tensor|list|List|dict|Dict|Sequence|Mapping|Iterable|set|Set|frozenset|FrozenSet|bytes|bytearray)\b/;

/** ML304: unbounded cache on a function taking large values. */
export const ML304: ICellRule = {
  id: 'ML304',
  name: 'unbounded-cache',
  title: 'Unbounded cache on a function taking large values',
  severity: 'info',
  scope: 'cell',
  docs: {
    why: '`@functools.cache` and `@lru_cache(maxsize=None)` never evict: every distinct argument tuple and its result stay referenced by the cache for the life of the process. With frames, arrays or big containers as inputs (and usually as outputs) the cache grows without limit.',
    whatToDo:
      'Give the cache a small `maxsize`, or cache on a small key (a file path, an id) and load the large value inside the function.',
    bad: 'from functools import cache\n\n@cache\ndef embed(texts):\n    return model.encode(list(texts))',
    good: 'from functools import lru_cache\n\n@lru_cache(maxsize=32)\ndef embed(texts):\n    return model.encode(list(texts))'
  },
  check({ cell, report }) {
    // The cell's text has no a cache decorator: nothing to find.
    if (!cell.masked.includes('cache')) {
      return;
    }
    const aliases = cellAliases(cell);
    for (const fn of cell.root.descendantsOfType('function_definition')) {
      // A method with `self` is ML303's finding already.
      if (instanceParameter(fn)) {
        continue;
      }
      const large = largeParameters(fn);
      if (large.length === 0) {
        continue;
      }
      for (const decorator of decoratorsOf(fn)) {
        const cache = cacheDecorator(decorator, aliases);
        if (!cache?.unbounded) {
          continue;
        }
        const name = fn.childForFieldName('name')?.text;
        const params = large.map(p => `\`${p}\``).join(', ');
        report({
          ...nodeRange(decorator),
          message: `\`@${cache.text}\` on \`${name}\` never evicts: every distinct ${params} and its result stay in memory; set a small \`maxsize\` or cache on a small key such as a path.`,
          fix: null
        });
      }
    }
  }
};

const PARAMETER_TYPES = new Set([
  'identifier',
  'typed_parameter',
  'default_parameter',
  'typed_default_parameter'
]);

/** Names of the parameters whose annotation or name suggests a large value. */
function largeParameters(fn: SyntaxNode): string[] {
  const parameters = fn.childForFieldName('parameters')?.namedChildren ?? [];
  const large: string[] = [];
  for (const parameter of parameters) {
    if (!PARAMETER_TYPES.has(parameter.type)) {
      continue; // *args, **kwargs, `/`, `*`
    }
    const name =
      parameter.type === 'identifier'
        ? parameter
        : (parameter.childForFieldName('name') ?? parameter.namedChild(0));
    if (name?.type !== 'identifier') {
      continue; // `*args: T`
    }
    const annotation = parameter.childForFieldName('type');
    const looksLarge = annotation
      ? LARGE_ANNOTATION.test(annotation.text)
      : name.text === 'X' ||
        LARGE_WORDS.has(name.text.toLowerCase().split('_').pop() ?? '');
    if (looksLarge) {
      large.push(name.text);
    }
  }
  return large;
}

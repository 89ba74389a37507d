/**
 * ML303: `@lru_cache` / `@cache` on a method. The cache lives on the class
 * function and keys on `self`, so every instance ever called stays alive
 * (with everything it holds) for as long as the class exists.
 */
import type { ICellRule } from '../../types';
import { cacheDecorator, cellAliases } from '../helpers/names';
import { nodeRange } from '../../syntax/tree';
import {
  decoratorsOf,
  enclosingClass,
  instanceParameter
} from '../../semantic/definitions';

/** ML303: functools cache on an instance method. */
export const ML303: ICellRule = {
  id: 'ML303',
  name: 'cached-method',
  title: 'functools cache on a method keeps instances alive',
  severity: 'warning',
  scope: 'cell',
  docs: {
    why: 'A `functools.lru_cache`/`cache` on a method is shared by the whole class and keys on `self`: it holds a strong reference to every instance it has seen, so those objects and all their data are never freed, even after `del`.',
    whatToDo:
      'Use `functools.cached_property` for per-instance values (stored on the instance, freed with it), or cache a module-level function of the small arguments that matter. Per-instance caches can also be created in `__init__`.',
    bad: 'from functools import lru_cache\n\nclass Model:\n    @lru_cache(maxsize=None)\n    def features(self):\n        return expensive(self.data)',
    good: 'from functools import cached_property\n\nclass Model:\n    @cached_property\n    def features(self):\n        return expensive(self.data)'
  },
  check({ cell, report }) {
    // The cell's text has no a cache decorator: nothing to find.
    if (!cell.masked.includes('cache')) {
      return;
    }
    const aliases = cellAliases(cell);
    for (const fn of cell.root.descendantsOfType('function_definition')) {
      const self = instanceParameter(fn);
      if (!self) {
        continue;
      }
      for (const decorator of decoratorsOf(fn)) {
        const cache = cacheDecorator(decorator, aliases);
        if (!cache) {
          continue;
        }
        const cls = enclosingClass(fn)?.childForFieldName('name')?.text;
        const method = `${cls ? `${cls}.` : ''}${fn.childForFieldName('name')?.text}`;
        report({
          ...nodeRange(decorator),
          message: `\`@${cache.text}\` on method \`${method}\` keeps every \`${self}\` it is called with alive as long as the class exists; use \`functools.cached_property\` or cache a module-level function of the arguments instead.`,
          fix: null
        });
      }
    }
  }
};

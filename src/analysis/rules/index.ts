/**
 * The rule registry: every rule module, in id order. The CLI and the
 * JupyterLab analyzer service pass `ALL_RULES` to `NotebookAnalyzer`.
 */
import type { IRule } from '../types';
import { ML101 } from './ML101-str-concat-in-loop';
import { ML502 } from './ML502-list-in-reducer';

/** Every rule of the catalog, sorted by id. */
export const ALL_RULES: readonly IRule[] = [ML101, ML502].sort((a, b) =>
  a.id.localeCompare(b.id)
);

/** The rule with id `id` (case-insensitive), or undefined. */
export function findRule(id: string): IRule | undefined {
  return ALL_RULES.find(rule => rule.id === id.toUpperCase());
}

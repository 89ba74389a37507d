/**
 * The rule registry: every rule module, in id order. The CLI and the
 * JupyterLab analyzer service pass `ALL_RULES` to `NotebookAnalyzer`.
 */
import type { IRule } from '../types';
import { ML101 } from './references/ML101-str-concat-in-loop';
import { ML102 } from './references/ML102-redundant-copy';
import { ML103 } from './references/ML103-quadratic-accumulation';
import { ML201 } from './lifecycle/ML201-dead-variable';
import { ML202 } from './lifecycle/ML202-displayed-large-result';
import { ML301 } from './gc/ML301-gc-disabled';
import { ML302 } from './gc/ML302-reference-cycle';
import { ML303 } from './gc/ML303-cached-method';
import { ML304 } from './gc/ML304-unbounded-cache';
import { ML401 } from './data-structures/ML401-constant-list';
import { ML402 } from './data-structures/ML402-slots-candidate';
import { ML403 } from './data-structures/ML403-dense-sparse';
import { ML404 } from './data-structures/ML404-read-without-dtypes';
import { ML501 } from './streaming/ML501-read-whole-file';
import { ML502 } from './streaming/ML502-list-in-reducer';
import { ML503 } from './streaming/ML503-materialized-iterable';
import { ML504 } from './streaming/ML504-load-then-aggregate';
import { ML505 } from './streaming/ML505-compute-whole-collection';
import { ML601 } from './resources/ML601-open-without-with';
import { ML602 } from './resources/ML602-figure-not-closed';
import { ML603 } from './resources/ML603-resource-without-with';
import { ML701 } from './libraries/ML701-tensor-history-leak';
import { ML702 } from './libraries/ML702-global-accumulator';

/** Every rule of the catalog, sorted by id. */
export const ALL_RULES: readonly IRule[] = [
  ML101,
  ML102,
  ML103,
  ML201,
  ML202,
  ML301,
  ML302,
  ML303,
  ML304,
  ML401,
  ML402,
  ML403,
  ML404,
  ML501,
  ML502,
  ML503,
  ML504,
  ML505,
  ML601,
  ML602,
  ML603,
  ML701,
  ML702
].sort((a, b) => a.id.localeCompare(b.id));

/** The rule with id `id` (case-insensitive), or undefined. */
export function findRule(id: string): IRule | undefined {
  return ALL_RULES.find(rule => rule.id === id.toUpperCase());
}

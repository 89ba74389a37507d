/**
 * Suppression comments: `# memlens: ignore` silences every rule on its line,
 * `# memlens: ignore[ML101,ML601]` only those rules (prefixes like `ML6`
 * work too). A finding is silenced by a comment on its first or last line.
 */
import type { SyntaxNode } from '../syntax';
import type { IRange } from '../../types';

/** Line → rule ids silenced there (`null`: every rule). */
export type Suppressions = ReadonlyMap<number, readonly string[] | null>;

const PATTERN = /#\s*memlens:\s*ignore(?:\[([^\]]*)\])?/i;

/** Collect the suppression comments of a parsed cell. */
export function findSuppressions(root: SyntaxNode): Suppressions {
  const result = new Map<number, readonly string[] | null>();
  if (!root.text.includes('memlens')) {
    return result;
  }
  for (const comment of root.descendantsOfType('comment')) {
    const match = comment ? PATTERN.exec(comment.text) : null;
    if (!comment || !match) {
      continue;
    }
    const ids =
      match[1] === undefined
        ? null
        : match[1]
            .split(',')
            .map(id => id.trim().toUpperCase())
            .filter(id => id !== '');
    result.set(comment.startPosition.row, ids);
  }
  return result;
}

/** True when `rule` is silenced for a finding at `range`. */
export function isSuppressed(
  suppressions: Suppressions,
  rule: string,
  range: IRange
): boolean {
  if (suppressions.size === 0) {
    return false;
  }
  const last =
    range.endColumn === 0 && range.endLine > range.line
      ? range.endLine - 1
      : range.endLine;
  return (
    silences(suppressions.get(range.line), rule) ||
    (last !== range.line && silences(suppressions.get(last), rule))
  );
}

/** True when a line's suppression (`null`: every rule) covers `rule`. */
function silences(
  ids: readonly string[] | null | undefined,
  rule: string
): boolean {
  return (
    ids === null || (ids !== undefined && ids.some(id => rule.startsWith(id)))
  );
}

/**
 * Every static rule's documented examples, from the one rule table: the
 * "bad" example is flagged by that rule and the "good" one is not. The
 * examples are what `memlens rule ID`, docs/rules.md and the panel show,
 * so they must be true.
 */
import { ALL_RULES } from '..';
import { check } from '../../__tests__/harness';
import { WORTH_ITEMS } from '../data-structures/ML401-constant-list';

/**
 * Examples written as several cells: `# %%` separates them. A `, ...]` or
 * `, ...)` in an example stands for a long table: it is written out here.
 */
const cellsOf = (example: string) =>
  example
    .replace(/, \.\.\.([\])])/g, (_, close) => `${LONG_TABLE}${close}`)
    .split(/^# %%.*$/m);
const LONG_TABLE = ', 0'.repeat(WORTH_ITEMS);

describe.each(ALL_RULES.map(rule => [rule.id, rule] as const))(
  '%s documented examples',
  (id, rule) => {
    it('flags the bad example', async () => {
      const findings = await check(rule, cellsOf(rule.docs.bad));
      expect(findings.map(f => f.rule)).toContain(id);
    });

    it('leaves the good example alone', async () => {
      const findings = await check(rule, cellsOf(rule.docs.good));
      expect(findings.map(f => f.rule)).not.toContain(id);
    });
  }
);

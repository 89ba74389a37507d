/**
 * Every static rule's documented examples, from the one rule table: the
 * "bad" example is flagged by that rule and the "good" one is not. The
 * examples are what `memlens rule ID`, docs/rules.md and the panel show,
 * so they must be true.
 */
import { ALL_RULES } from '..';
import { check } from '../../__tests__/harness';

/** Examples written as several cells: `# %%` separates them. */
const cellsOf = (example: string) => example.split(/^# %%.*$/m);

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

import { readFileSync } from 'fs';
import { join } from 'path';
import { ALL_RULE_INFOS } from '../../analyzer/rules/live-rules';
import { rulesMarkdown } from '../rule-docs';

describe('docs/rules.md', () => {
  const page = readFileSync(join(__dirname, '../../../docs/rules.md'), 'utf8');

  it('is the generated catalog (run `npm run docs:rules` after a rule change)', () => {
    expect(page).toBe(rulesMarkdown(ALL_RULE_INFOS));
  });

  it('documents every ML and LV rule with its examples', () => {
    for (const rule of ALL_RULE_INFOS) {
      const section = page.split(`## ${rule.id}\n`)[1]?.split('\n## ')[0];
      expect(section).toContain(rule.docs.why);
      expect(section).toContain(rule.docs.bad);
    }
    expect(ALL_RULE_INFOS.map(rule => rule.id)).toEqual(
      expect.arrayContaining(['ML101', 'LV101', 'LV109', 'LV110'])
    );
  });
});

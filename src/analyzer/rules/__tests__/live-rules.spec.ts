import { ALL_RULE_INFOS, LIVE_RULES, findRuleInfo } from '../live-rules';

describe('live rule documentation', () => {
  it('documents every live rule of the catalog, in id order', () => {
    const ids = LIVE_RULES.map(rule => rule.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        ...Array.from({ length: 12 }, (_, i) => `LV${101 + i}`)
      ])
    );
    expect(ids).toEqual([...ids].sort());
    for (const rule of LIVE_RULES) {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      for (const text of Object.values(rule.docs)) {
        expect(text.trim().length).toBeGreaterThan(10);
      }
    }
  });

  it('finds static and live rules by id, case-insensitively', () => {
    expect(findRuleInfo('lv103')?.name).toBe('dataframe-dtypes');
    expect(findRuleInfo('ML601')?.name).toBe('open-without-with');
    expect(findRuleInfo('XX999')).toBeUndefined();
    const ids = ALL_RULE_INFOS.map(rule => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

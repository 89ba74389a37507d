import { ALL_RULES, findRule } from '..';

const CATALOG = [
  'ML101',
  'ML102',
  'ML103',
  'ML201',
  'ML202',
  'ML301',
  'ML302',
  'ML303',
  'ML304',
  'ML401',
  'ML402',
  'ML403',
  'ML404',
  'ML501',
  'ML502',
  'ML503',
  'ML504',
  'ML505',
  'ML601',
  'ML602',
  'ML603',
  'ML701',
  'ML702'
];

describe('rule registry', () => {
  it('registers every catalog rule once, in id order, with docs', () => {
    expect(ALL_RULES.map(rule => rule.id)).toEqual(CATALOG);
    for (const rule of ALL_RULES) {
      expect(rule.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.severity).not.toBe('error');
      expect(Object.values(rule.docs).every(text => text.trim() !== '')).toBe(
        true
      );
    }
    expect(findRule('ml201')?.name).toBe('dead-variable');
  });
});

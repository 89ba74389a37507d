import { ML502 } from '../ML502-list-in-reducer';
import { applyEdits, check, parsesCleanly } from '../../../__tests__/harness';

describe('ML502 list-in-reducer', () => {
  it('flags a list comprehension passed to sum and fixes it', async () => {
    const source = 'total = sum([x * x for x in xs])\n';
    const [finding, ...rest] = await check(ML502, source);
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({
      rule: 'ML502',
      cell: 0,
      line: 0,
      column: 8
    });
    const [fixed] = applyEdits([source], finding.fix!.edits);
    expect(fixed).toBe('total = sum(x * x for x in xs)\n');
    expect(await parsesCleanly(fixed)).toBe(true);
    expect(await check(ML502, fixed)).toHaveLength(0);
  });

  it.each([
    ['join builds a list anyway', '", ".join([str(x) for x in xs])'],
    ['extra arguments', 'max([len(x) for x in xs], default=0)'],
    ['sorted is fine', 'sorted([x for x in xs])'],
    ['a generator already', 'sum(x for x in xs)']
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML502, source)).toHaveLength(0);
  });
});

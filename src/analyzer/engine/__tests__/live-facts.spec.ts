import { factsKey, ISnapshotFacts, liveFactsOf } from '../live-facts';

describe('liveFactsOf', () => {
  const snapshot = {
    variables: [
      { name: 'trips', size_bytes: 300, held_by: [] },
      { name: 'pending', size_bytes: null, held_by: [] }
    ],
    findings: [
      {
        rule: 'LV103',
        variable: 'trips',
        details: {
          columns: [
            { column: 'vendor', dtype: 'category', saving_bytes: 10 },
            { column: 'n', dtype: 'int8' }
          ]
        }
      },
      { rule: 'LV101', variable: 'trips', details: {} }
    ]
  } as unknown as ISnapshotFacts;

  it('takes sizes of sized variables and LV103 dtypes by frame', () => {
    const facts = liveFactsOf(snapshot)!;
    expect([...facts.sizes]).toEqual([['trips', 300]]);
    expect(facts.dtypes?.get('trips')).toEqual({
      vendor: 'category',
      n: 'int8'
    });
    expect(liveFactsOf(null)).toBeNull();
  });

  it('keys equal facts equally and different facts differently', () => {
    expect(factsKey(liveFactsOf(snapshot))).toBe(
      factsKey(liveFactsOf(snapshot))
    );
    const smaller = {
      ...snapshot,
      variables: [{ name: 'trips', size_bytes: 200, held_by: [] }]
    } as unknown as ISnapshotFacts;
    expect(factsKey(liveFactsOf(smaller))).not.toBe(
      factsKey(liveFactsOf(snapshot))
    );
    expect(factsKey(null)).toBe('');
  });
});

import type { Snapshot, Variable } from '../../../kernel/protocol';
import { applySnapshot } from '../snapshot-merge';

const variable = (name: string, size: number | null): Variable =>
  ({
    name,
    type: 'list',
    size_bytes: size,
    size_exact: true,
    held_by: []
  }) as unknown as Variable;

const snapshot = (fields: Partial<Snapshot>): Snapshot =>
  ({
    elapsed_ms: 1,
    budget_ms: 200,
    complete: true,
    variables: [],
    skipped: [],
    hidden: [],
    findings: [],
    total_bytes: 0,
    gc: {},
    process: {},
    ...fields
  }) as unknown as Snapshot;

describe('applySnapshot', () => {
  it('replaces the state with a full reply', () => {
    const full = snapshot({ seq: 1, variables: [variable('a', 10)] });
    expect(
      applySnapshot(snapshot({ variables: [variable('x', 1)] }), full)
    ).toBe(full);
  });

  it('merges a delta: changed and added records, removed names', () => {
    const previous = snapshot({
      seq: 1,
      variables: [variable('a', 10), variable('b', 20), variable('c', 30)]
    });
    const delta = snapshot({
      seq: 2,
      delta: true,
      complete: false,
      progress: { sized: 2, total: 3 },
      variables: [variable('b', 25), variable('d', 5)],
      removed: ['c']
    });
    const merged = applySnapshot(previous, delta)!;
    expect(merged.variables.map(v => [v.name, v.size_bytes])).toEqual([
      ['a', 10],
      ['b', 25],
      ['d', 5]
    ]);
    expect(merged).toMatchObject({
      seq: 2,
      delta: false,
      removed: [],
      complete: false,
      progress: { sized: 2, total: 3 }
    });
  });

  it('refuses a delta without a base', () => {
    expect(applySnapshot(null, snapshot({ delta: true }))).toBeNull();
  });
});

import fc from 'fast-check';
import type { ICellInput } from '../../analyzer/engine/engine';
import {
  applyDelta,
  CellCopy,
  cellDelta,
  cellKeys,
  OutOfSyncError
} from '../delta';

const code = (id: string | undefined, source: string): ICellInput => ({
  id,
  kind: 'code',
  source
});

describe('cellKeys', () => {
  it('uses ids, numbers repeated ids and keys cells without id by index', () => {
    const cells = [
      code('a', ''),
      code('b', ''),
      code('a', ''),
      code(undefined, ''),
      code('a', '')
    ];
    expect(cellKeys(cells)).toEqual(['a', 'b', 'a#2', '#3', 'a#3']);
  });
});

describe('cellDelta', () => {
  it('sends every cell the first time, then only what changed', () => {
    const cells = [code('a', 'x = 1'), code('b', 'y = 2'), code('c', 'z')];
    const first = cellDelta(new Map(), cells);
    expect(first.order).toEqual(['a', 'b', 'c']);
    expect(first.changed.map(c => c.key)).toEqual(['a', 'b', 'c']);

    const edited = [cells[0], code('b', 'y = 3'), cells[2]];
    const second = cellDelta(first.next, edited);
    expect(second.changed).toEqual([
      { key: 'b', id: 'b', kind: 'code', source: 'y = 3' }
    ]);
  });

  it('sends nothing but the order for moves and deletions', () => {
    const cells = [code('a', '1'), code('b', '2'), code('c', '3')];
    const { next } = cellDelta(new Map(), cells);
    const delta = cellDelta(next, [cells[2], cells[0]]);
    expect(delta.order).toEqual(['c', 'a']);
    expect(delta.changed).toEqual([]);
    expect([...delta.next.keys()]).toEqual(['c', 'a']);
  });

  it('resends a cell whose kind changed', () => {
    const { next } = cellDelta(new Map(), [code('a', '# title')]);
    const delta = cellDelta(next, [
      { id: 'a', kind: 'markdown', source: '# title' }
    ]);
    expect(delta.changed.map(c => c.kind)).toEqual(['markdown']);
  });
});

describe('applyDelta', () => {
  it('fails on a key it never got and forgets its copy', () => {
    const copy: CellCopy = new Map([['a', code('a', '1')]]);
    expect(() => applyDelta(copy, ['a', 'b'], [])).toThrow(OutOfSyncError);
    expect(copy.size).toBe(0);
  });

  it('keeps the worker copy equal to what the main thread believes it sent', () => {
    // Random notebooks edited at random, some cells sharing ids.
    const cell = fc.record({
      id: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e'), {
        nil: undefined
      }),
      kind: fc.constantFrom<ICellInput['kind']>('code', 'markdown'),
      source: fc.constantFrom('', 'x = 1', 'y = [x] * 2', '# note')
    });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 8 })), states => {
        let sent: CellCopy = new Map();
        const copy: CellCopy = new Map();
        for (const cells of states) {
          const { order, changed, next } = cellDelta(sent, cells);
          const rebuilt = applyDelta(copy, order, changed);
          expect(rebuilt).toEqual(
            cells.map(({ id, kind, source }) => ({ id, kind, source }))
          );
          expect(copy).toEqual(next);
          sent = next;
        }
      })
    );
  });
});

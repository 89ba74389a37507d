import type { IFinding } from '../../analyzer/types';
import { CellFindingsSplitter } from '../cell-findings';

const finding = (cell: number, message = 'm', editCell?: number): IFinding => ({
  rule: 'ML101',
  severity: 'warning',
  cell,
  line: 0,
  column: 0,
  endLine: 0,
  endColumn: 1,
  message,
  rationale: 'r',
  fix:
    editCell === undefined
      ? null
      : {
          description: 'd',
          edits: [
            {
              cell: editCell,
              line: 0,
              column: 0,
              endLine: 0,
              endColumn: 1,
              text: 't'
            }
          ]
        }
});

describe('CellFindingsSplitter', () => {
  it('names each finding and each fix edit by its cell id', () => {
    const split = new CellFindingsSplitter();
    const changed = split.update(
      [finding(0), finding(2, 'm', 0)],
      ['a', 'b', 'c']
    );
    expect(changed.map(([key, list]) => [key, list.length])).toEqual([
      ['a', 1],
      ['c', 1]
    ]);
    const c = split.cells.get('c')!;
    expect(c[0].cellId).toBe('c');
    expect(c[0].cell).toBe(2);
    expect(c[0].fix?.edits.map(edit => edit.cellId)).toEqual(['a']);
    expect([...split.cells.keys()]).toEqual(['a', 'c']);
  });

  it('keeps the map and each unchanged cell array from run to run', () => {
    const split = new CellFindingsSplitter();
    const first = [finding(0), finding(1)];
    split.update(first, ['a', 'b']);
    const before = split.cells;
    // the engine's same objects, and equal rebuilt ones: nothing changed
    expect(split.update(first, ['a', 'b'])).toEqual([]);
    expect(split.update([finding(0), finding(1)], ['a', 'b'])).toEqual([]);
    expect(split.cells).toBe(before);
    // one cell changes: only it is listed; the other keeps its array
    const changed = split.update([finding(0), finding(1, 'new')], ['a', 'b']);
    expect(changed.map(([key]) => key)).toEqual(['b']);
    expect(split.cells).not.toBe(before);
    expect(split.cells.get('a')).toBe(before.get('a'));
    expect(split.cells.get('b')![0].message).toBe('new');
  });

  it('lists a cell whose findings are gone, and drops cells deleted', () => {
    const split = new CellFindingsSplitter();
    split.update([finding(0), finding(1)], ['a', 'b']);
    expect(split.update([finding(1)], ['a', 'b'])).toEqual([['a', []]]);
    expect([...split.cells.keys()]).toEqual(['b']);
    // cell b deleted: nothing to list, but the map is a new one without it
    const before = split.cells;
    expect(split.update([], ['a'])).toEqual([]);
    expect(split.cells).not.toBe(before);
    expect(split.cells.size).toBe(0);
  });

  it('renames an edit when the cell it edits moved', () => {
    const split = new CellFindingsSplitter();
    const same = finding(1, 'm', 0);
    split.update([same], ['a', 'b']);
    // the engine hands back the same finding; the key at index 0 changed
    const changed = split.update([same], ['x', 'b']);
    expect(changed.map(([key]) => key)).toEqual(['b']);
    expect(split.cells.get('b')![0].fix?.edits[0].cellId).toBe('x');
  });

  it('lists every cell with findings after a reset', () => {
    const split = new CellFindingsSplitter();
    const findings = [finding(0)];
    split.update(findings, ['a']);
    split.reset();
    expect(split.update(findings, ['a']).map(([key]) => key)).toEqual(['a']);
  });
});

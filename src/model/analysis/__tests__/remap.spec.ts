import type { IFinding } from '../../../analyzer/types';
import { remapFindings } from '../remap';

const finding = (cell: number, line = 0, editCell?: number): IFinding => ({
  rule: 'ML101',
  severity: 'warning',
  cell,
  line,
  column: 0,
  endLine: line,
  endColumn: 1,
  message: 'm',
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
              endColumn: 0,
              text: 't'
            }
          ]
        }
});

describe('remapFindings', () => {
  it('returns the same findings when the order did not change', () => {
    const findings = [finding(0), finding(1)];
    expect(remapFindings(findings, ['a', 'b'], ['a', 'b'])).toBe(findings);
  });

  it('follows cells moved or inserted during the analysis', () => {
    const moved = remapFindings(
      [finding(0, 1), finding(1, 2, 1)],
      ['a', 'b'],
      ['new', 'b', 'a']
    );
    expect(moved.map(f => [f.cell, f.line])).toEqual([
      [1, 2],
      [2, 1]
    ]);
    expect(moved[0].fix?.edits[0].cell).toBe(1);
  });

  it('drops findings and fixes that name a deleted cell', () => {
    const moved = remapFindings(
      [finding(0), finding(1), finding(1, 0, 0)],
      ['a', 'b'],
      ['b']
    );
    expect(moved).toEqual([{ ...finding(1), cell: 0 }]);
  });
});

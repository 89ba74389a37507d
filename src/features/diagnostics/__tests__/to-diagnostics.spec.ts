import { Text } from '@codemirror/state';
import type { IFinding } from '../../../analyzer/types';
import { offsetOf, toDiagnostics } from '../to-diagnostics';

const finding = (overrides: Partial<IFinding> = {}): IFinding => ({
  rule: 'ML601',
  severity: 'warning',
  cell: 0,
  line: 1,
  column: 4,
  endLine: 1,
  endColumn: 17,
  message: 'f is opened without with.',
  rationale: 'why',
  fix: null,
  ...overrides
});

describe('toDiagnostics', () => {
  const doc = Text.of(['import io', 'f = open("x.txt")']);

  it('maps 0-based line/column to document offsets, message first with the rule id', () => {
    const [diagnostic] = toDiagnostics(doc, [finding()], {
      applyFix: jest.fn(),
      runKernelAction: jest.fn()
    });
    expect(diagnostic.from).toBe(10 + 4);
    expect(diagnostic.to).toBe(10 + 17);
    expect(diagnostic.message).toBe('ML601 f is opened without with.');
    expect(diagnostic.severity).toBe('warning');
    expect(diagnostic.actions).toEqual([]);
  });

  it('offers the text fix and the kernel action as buttons', () => {
    const actions = { applyFix: jest.fn(), runKernelAction: jest.fn() };
    const withFix = finding({
      fix: { description: 'Use a with block', edits: [] },
      action: { kind: 'delete', name: 'f' }
    });
    const [diagnostic] = toDiagnostics(doc, [withFix], actions);
    expect(diagnostic.actions?.map(a => a.name)).toEqual([
      'Use a with block',
      'del f in the kernel'
    ]);
    diagnostic.actions![0].apply(null as never, 0, 0);
    diagnostic.actions![1].apply(null as never, 0, 0);
    expect(actions.applyFix).toHaveBeenCalledWith(withFix);
    expect(actions.runKernelAction).toHaveBeenCalledWith(withFix);
  });

  it('drops findings outside the document and clamps columns', () => {
    const out = toDiagnostics(
      doc,
      [
        finding({ line: 5, endLine: 5 }),
        finding({ column: 99, endColumn: 120 })
      ],
      {
        applyFix: jest.fn(),
        runKernelAction: jest.fn()
      }
    );
    expect(out).toHaveLength(1);
    expect(out[0].from).toBe(doc.length);
    expect(offsetOf(doc, -1, 0)).toBeNull();
  });
});

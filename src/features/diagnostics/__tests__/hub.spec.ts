import { EditorState, TransactionSpec } from '@codemirror/state';
import { forEachDiagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import type { IFinding } from '../../../analyzer/types';
import { DiagnosticsHub } from '../hub';
import { CellViews } from '../../editor/cell-views';
import { liveCellIds, retainLiveCells } from '../live-cells';

const SOURCE = 'f = open("x.txt")';

const finding: IFinding = {
  rule: 'ML601',
  severity: 'warning',
  cell: 0,
  line: 0,
  column: 4,
  endLine: 0,
  endColumn: 17,
  message: 'f is opened without with.',
  rationale: 'why',
  fix: null
};

const actions = { applyFix: jest.fn(), runKernelAction: jest.fn() };

/**
 * Just what the hub uses of a CodeMirror view: its state, and a dispatch
 * that updates it.
 */
function fakeView(doc = SOURCE): EditorView & { dispatch: jest.Mock } {
  const view = {
    state: EditorState.create({ doc }),
    dispatch: jest.fn((spec: TransactionSpec) => {
      view.state = view.state.update(spec).state;
    })
  };
  return view as unknown as EditorView & { dispatch: jest.Mock };
}

/** The user types `text` at the end of `view`. */
function type(view: EditorView, text: string): void {
  const length = view.state.doc.length;
  (view as { state: EditorState }).state = view.state.update({
    changes: { from: length, insert: text }
  }).state;
}

/** Attach a view and let the hub's deferred push run. */
async function attach(
  hub: DiagnosticsHub<CellViews>,
  cellId: string,
  view = fakeView()
): Promise<EditorView & { dispatch: jest.Mock }> {
  hub.views.attach(cellId, view);
  await Promise.resolve();
  return view as EditorView & { dispatch: jest.Mock };
}

/** A tracker-like owner of notebooks with the given cell ids. */
function notebooks(...cellIds: string[][]) {
  const all = cellIds.map(ids => ({
    panel: {
      context: {
        model: {
          cells: { length: ids.length, get: (i: number) => ({ id: ids[i] }) }
        }
      }
    }
  }));
  return { forEach: (fn: (n: (typeof all)[0]) => void) => all.forEach(fn) };
}

describe('DiagnosticsHub.publish', () => {
  it('pushes nothing to an editor that never had diagnostics when there are none', async () => {
    const hub = new DiagnosticsHub(new CellViews());
    const view = await attach(hub, 'a');
    hub.publish('a', SOURCE, [], actions);
    expect(view.dispatch).not.toHaveBeenCalled();
    hub.publish('a', SOURCE, [finding], actions);
    hub.publish('a', SOURCE, [finding], actions);
    expect(view.dispatch).toHaveBeenCalledTimes(1);
    hub.publish('a', SOURCE, [], actions);
    expect(view.dispatch).toHaveBeenCalledTimes(2);
  });

  it('after an edit, pushes only what differs from the mapped diagnostics', async () => {
    const hub = new DiagnosticsHub(new CellViews());
    const view = await attach(hub, 'a');
    hub.publish('a', SOURCE, [finding], actions);
    expect(view.dispatch).toHaveBeenCalledTimes(1);
    // typing after the finding: CodeMirror's mapped diagnostic is the new one
    type(view, '\nx = 1');
    hub.edited(view);
    hub.publish('a', `${SOURCE}\nx = 1`, [finding], actions);
    expect(view.dispatch).toHaveBeenCalledTimes(1);
    // typing inside the range moves its end: the new range is pushed
    (view as { state: EditorState }).state = view.state.update({
      changes: { from: 5, insert: 'a' }
    }).state;
    hub.edited(view);
    hub.publish('a', view.state.doc.toString(), [finding], actions);
    expect(view.dispatch).toHaveBeenCalledTimes(2);
    // and cleared when the finding is gone
    hub.edited(view);
    hub.publish('a', view.state.doc.toString(), [], actions);
    expect(view.dispatch).toHaveBeenCalledTimes(3);
    let shown = 0;
    forEachDiagnostic(view.state, () => shown++);
    expect(shown).toBe(0);
  });

  it('pushes nothing to an editor that had no diagnostics when it is edited', async () => {
    const hub = new DiagnosticsHub(new CellViews());
    const view = await attach(hub, 'a');
    hub.publish('a', SOURCE, [], actions);
    type(view, ' ');
    hub.edited(view);
    hub.publish('a', `${SOURCE} `, [], actions);
    expect(view.dispatch).not.toHaveBeenCalled();
  });
});

describe('DiagnosticsHub.retain', () => {
  it('forgets the findings of cells that are not kept', async () => {
    const hub = new DiagnosticsHub(new CellViews());
    hub.publish('kept', SOURCE, [finding], actions);
    hub.publish('deleted', SOURCE, [finding], actions);
    hub.retain(new Set(['kept']));
    // An editor for the deleted cell id (undo of a deletion recreates it)
    // must not get the old findings back; the kept cell still gets them.
    expect((await attach(hub, 'deleted')).dispatch).not.toHaveBeenCalled();
    expect((await attach(hub, 'kept')).dispatch).toHaveBeenCalledTimes(1);
  });

  it('keeps everything when every cell is kept', async () => {
    const hub = new DiagnosticsHub(new CellViews());
    hub.publish('a', SOURCE, [finding], actions);
    hub.publish('b', SOURCE, [finding], actions);
    hub.retain(new Set(['a', 'b']));
    expect((await attach(hub, 'a')).dispatch).toHaveBeenCalledTimes(1);
    expect((await attach(hub, 'b')).dispatch).toHaveBeenCalledTimes(1);
  });
});

describe('live cells of all notebooks', () => {
  it('collects the cell ids of every followed notebook', () => {
    expect([...liveCellIds(notebooks(['a', 'b'], ['c']))].sort()).toEqual([
      'a',
      'b',
      'c'
    ]);
    expect(liveCellIds(notebooks()).size).toBe(0);
  });

  it('keeps the findings of other notebooks when one loses a cell', async () => {
    const hub = new DiagnosticsHub(new CellViews());
    hub.publish('first-a', SOURCE, [finding], actions);
    hub.publish('first-b', SOURCE, [finding], actions);
    hub.publish('second-a', SOURCE, [finding], actions);
    // "first-b" was deleted from the first notebook.
    retainLiveCells(hub, notebooks(['first-a'], ['second-a']));
    expect((await attach(hub, 'first-b')).dispatch).not.toHaveBeenCalled();
    expect((await attach(hub, 'first-a')).dispatch).toHaveBeenCalledTimes(1);
    expect((await attach(hub, 'second-a')).dispatch).toHaveBeenCalledTimes(1);
  });

  it('drops a closed notebook (no longer followed) entirely', async () => {
    const hub = new DiagnosticsHub(new CellViews());
    hub.publish('closed-a', SOURCE, [finding], actions);
    hub.publish('open-a', SOURCE, [finding], actions);
    retainLiveCells(hub, notebooks(['open-a']));
    expect((await attach(hub, 'closed-a')).dispatch).not.toHaveBeenCalled();
    expect((await attach(hub, 'open-a')).dispatch).toHaveBeenCalledTimes(1);
  });
});

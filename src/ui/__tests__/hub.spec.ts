import { EditorState } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';
import type { IFinding } from '../../analysis/types';
import { DiagnosticsHub } from '../diagnostics/hub';
import { CellViews } from '../editor/cell-views';
import { liveCellIds, retainLiveCells } from '../diagnostics/live-cells';

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

/** Just what the hub uses of a CodeMirror view: its state and dispatch. */
function fakeView(doc = SOURCE): EditorView & { dispatch: jest.Mock } {
  return {
    state: EditorState.create({ doc }),
    dispatch: jest.fn()
  } as unknown as EditorView & { dispatch: jest.Mock };
}

/** Attach a view and let the hub's deferred push run. */
async function attach(
  hub: DiagnosticsHub,
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

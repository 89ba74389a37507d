/**
 * The actions every caller shares (panel, quick fixes, commands): one
 * confirmation when aliases keep the object alive, one notification per
 * outcome, and errors told in words instead of thrown.
 */
const showDialog = jest.fn();
const success = jest.fn();
const error = jest.fn();
const info = jest.fn();
jest.mock('@jupyterlab/apputils', () => ({
  showDialog: (...args: unknown[]) => showDialog(...args),
  Dialog: {
    cancelButton: () => ({ accept: false }),
    warnButton: (options: { label: string }) => ({ accept: true, ...options })
  },
  Notification: {
    success: (...args: unknown[]) => success(...args),
    error: (...args: unknown[]) => error(...args),
    info: (...args: unknown[]) => info(...args)
  }
}));

import type { IFinding } from '../../../analyzer/types';
import { fakeMemlens, snapshot, variable } from '../../__tests__/fake-memlens';
import { insertCellBelow, jumpToCell } from '../cells';
import { runFindingAction } from '../fixes';
import { freeVariable, runKernelAction } from '../kernel';

beforeEach(() => {
  jest.clearAllMocks();
});

describe('freeVariable', () => {
  it('deletes without asking when no alias holds the object', async () => {
    const fake = fakeMemlens(
      snapshot([variable('df', 80 * 2 ** 20, { held_by: ['Out[3]'] })])
    );
    fake.live.free.mockResolvedValue({
      deleted: true,
      freed_bytes: 80 * 2 ** 20,
      still_held_by: [],
      cleared: ['Out[3]'],
      error: null
    });
    const confirmed = jest.fn();
    const outcome = await freeVariable(fake.memlens, 'df', confirmed);
    expect(showDialog).not.toHaveBeenCalled();
    expect(confirmed).toHaveBeenCalledTimes(1);
    expect(fake.live.free).toHaveBeenCalledWith('df');
    expect(outcome).toMatchObject({ ok: true, freedBytes: 80 * 2 ** 20 });
    expect(outcome!.text).toContain('df');
    expect(outcome!.text).toContain('80.0 MiB');
    expect(outcome!.text).toContain('Out[3]');
    expect(success).toHaveBeenCalledTimes(1);
    expect(error).not.toHaveBeenCalled();
  });

  it('asks first when aliases hold the same object, and stops on cancel', async () => {
    const fake = fakeMemlens(
      snapshot([variable('a', 100, { held_by: ['b', 'Out[2]'] })])
    );
    showDialog.mockResolvedValue({ button: { accept: false } });
    const outcome = await freeVariable(fake.memlens, 'a');
    expect(showDialog).toHaveBeenCalledTimes(1);
    expect(showDialog.mock.calls[0][0].body).toContain('b');
    expect(showDialog.mock.calls[0][0].body).not.toContain('Out[2]');
    expect(outcome).toBeNull();
    expect(fake.live.free).not.toHaveBeenCalled();
  });

  it('reports a refusal of the kernel as a failure, not an exception', async () => {
    const fake = fakeMemlens(snapshot([variable('x', 10)]));
    fake.live.free.mockResolvedValue({
      deleted: false,
      freed_bytes: null,
      still_held_by: [],
      error: '`x` is not defined in the namespace'
    });
    const outcome = await freeVariable(fake.memlens, 'x');
    expect(outcome).toMatchObject({ ok: false, freedBytes: null });
    expect(outcome!.text).toContain('is not defined');
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('reports a lost connection in words', async () => {
    const fake = fakeMemlens(snapshot([variable('x', 10)]));
    fake.live.free.mockRejectedValue(new Error('the kernel restarted'));
    const outcome = await freeVariable(fake.memlens, 'x');
    expect(outcome).toMatchObject({ ok: false });
    expect(outcome!.text).toContain('the kernel restarted');
  });
});

describe('runKernelAction', () => {
  it('describes what a collection did', async () => {
    const fake = fakeMemlens(snapshot([]));
    fake.live.act.mockResolvedValue({
      collected: 12,
      per_generation: [0, 0, 12],
      uncollectable: 0,
      rss_before: 2 ** 30,
      rss_after: 2 ** 30 - 2 ** 20,
      freed_bytes: 2 ** 20,
      elapsed_ms: 3
    });
    const outcome = await runKernelAction(fake.memlens, 'collect');
    expect(fake.live.act).toHaveBeenCalledWith('collect');
    expect(outcome.ok).toBe(true);
    expect(outcome.text).toContain('12');
  });

  it('turns an error field of the result into a failed outcome', async () => {
    const fake = fakeMemlens(snapshot([]));
    fake.live.act.mockResolvedValue({
      trimmed: false,
      rss_before: 1,
      rss_after: 1,
      released_bytes: null,
      error: 'malloc_trim is only available on Linux/glibc'
    });
    const outcome = await runKernelAction(fake.memlens, 'release_to_os');
    expect(outcome.ok).toBe(false);
    expect(error).toHaveBeenCalledTimes(1);
  });
});

describe('runFindingAction', () => {
  it("frees the finding's variable", async () => {
    const fake = fakeMemlens(snapshot([variable('big', 10)]));
    fake.live.free.mockResolvedValue({
      deleted: true,
      freed_bytes: 10,
      still_held_by: [],
      error: null
    });
    const finding = {
      rule: 'ML201',
      action: { kind: 'delete', name: 'big' }
    } as unknown as IFinding;
    await runFindingAction(fake.memlens, finding);
    expect(fake.live.free).toHaveBeenCalledWith('big');
  });

  it('does nothing for a finding without a kernel action', async () => {
    const fake = fakeMemlens(snapshot([]));
    await runFindingAction(fake.memlens, { rule: 'ML101' } as IFinding);
    expect(fake.live.free).not.toHaveBeenCalled();
  });
});

describe('cell actions', () => {
  it('inserts a fix cell below the active cell and selects it', () => {
    const insertCell = jest.fn();
    const notebook = {
      activeCellIndex: 2,
      model: { sharedModel: { insertCell } }
    };
    insertCellBelow({ content: notebook } as never, 'del df');
    expect(insertCell).toHaveBeenCalledWith(3, {
      cell_type: 'code',
      source: 'del df'
    });
    expect(notebook.activeCellIndex).toBe(3);
    expect(info).toHaveBeenCalledTimes(1);
  });

  it('jumps to a cell and puts the cursor at the position', async () => {
    const editor = { setCursorPosition: jest.fn(), focus: jest.fn() };
    const notebook = {
      activeCellIndex: 0,
      widgets: [{ editor: null }, { editor }],
      scrollToItem: jest.fn(async () => undefined)
    };
    jumpToCell({ content: notebook } as never, 1, { line: 3, column: 4 });
    expect(notebook.activeCellIndex).toBe(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(editor.setCursorPosition).toHaveBeenCalledWith({
      line: 3,
      column: 4
    });
    expect(editor.focus).toHaveBeenCalled();
    jumpToCell({ content: notebook } as never, 7);
    expect(notebook.activeCellIndex).toBe(1);
  });
});

import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import { FakeSessionContext } from '../../../kernel/__tests__/fake-session';
import type { AnalysisService } from '../../analysis/analysis-service';
import type { IMemlensOptions } from '../notebook-memlens';
import { MemlensTracker } from '../tracker';

const OPTIONS: IMemlensOptions = {
  disabledRules: [],
  thresholdBytes: 1,
  delayMs: 10,
  timeline: false,
  refreshAfterEachCell: true,
  autoInject: false,
  editorDiagnostics: true,
  profileMethod: 'tracemalloc'
};

/** An analyzer service whose analyzers find nothing (no tree-sitter). */
const service = {
  rules: [],
  createAnalyzer: () =>
    Promise.resolve({ analyze: () => [], dispose: () => undefined })
} as unknown as AnalysisService;

/** Just what memlens reads of a notebook panel, with no kernel. */
class FakePanel {
  readonly disposed = new Signal<this, void>(this);
  readonly sessionContext = new FakeSessionContext(null).asContext;
  readonly content = { activeCellIndex: 0 };
  readonly context = {
    ready: Promise.resolve(),
    localPath: 'nb.ipynb',
    model: {
      contentChanged: new Signal<unknown, void>(this),
      cells: {
        length: 0,
        get: () => undefined,
        changed: new Signal<unknown, void>(this)
      }
    }
  };
  isDisposed = false;

  dispose(): void {
    this.isDisposed = true;
    this.disposed.emit();
  }

  get asPanel(): NotebookPanel {
    return this as unknown as NotebookPanel;
  }
}

/** Just what the memlens tracker reads of JupyterLab's notebook tracker. */
class FakeNotebooks {
  constructor(readonly panels: FakePanel[] = []) {}
  readonly widgetAdded = new Signal<this, NotebookPanel>(this);
  readonly currentChanged = new Signal<this, NotebookPanel | null>(this);
  currentWidget: NotebookPanel | null = null;

  forEach(fn: (panel: NotebookPanel) => void): void {
    this.panels.forEach(panel => fn(panel.asPanel));
  }

  open(panel: FakePanel): void {
    this.panels.push(panel);
    this.widgetAdded.emit(panel.asPanel);
  }

  activate(panel: FakePanel | null): void {
    this.currentWidget = panel?.asPanel ?? null;
    this.currentChanged.emit(this.currentWidget);
  }

  get asTracker(): INotebookTracker {
    return this as unknown as INotebookTracker;
  }
}

const trackers: MemlensTracker[] = [];
afterEach(() =>
  trackers.splice(0).forEach(tracker => tracker.forEach(m => m.dispose()))
);

function track(notebooks: FakeNotebooks): MemlensTracker {
  const tracker = new MemlensTracker(
    notebooks.asTracker,
    service,
    () => OPTIONS
  );
  trackers.push(tracker);
  return tracker;
}

describe('MemlensTracker', () => {
  it('follows notebooks already open and those opened later, once each', () => {
    const first = new FakePanel();
    const notebooks = new FakeNotebooks([first]);
    const tracker = track(notebooks);
    const added: unknown[] = [];
    tracker.added.connect((_, memlens) => added.push(memlens));
    expect(tracker.get(first.asPanel)?.panel).toBe(first.asPanel);
    const second = new FakePanel();
    notebooks.open(second);
    // Activation of a panel it already follows adds nothing.
    notebooks.activate(second);
    expect(added).toEqual([tracker.get(second.asPanel)]);
    const all: unknown[] = [];
    tracker.forEach(memlens => all.push(memlens.panel));
    expect(all).toEqual([first.asPanel, second.asPanel]);
  });

  it('announces the active notebook and none when no notebook is active', () => {
    const panel = new FakePanel();
    const notebooks = new FakeNotebooks([panel]);
    const tracker = track(notebooks);
    const current: unknown[] = [];
    tracker.currentChanged.connect((_, memlens) => current.push(memlens));
    notebooks.activate(panel);
    notebooks.activate(panel);
    notebooks.activate(null);
    expect(current).toEqual([tracker.get(panel.asPanel), null]);
    expect(tracker.current).toBeNull();
  });

  it('forgets and disposes the memlens of a closed notebook', () => {
    const panel = new FakePanel();
    const tracker = track(new FakeNotebooks([panel]));
    const memlens = tracker.get(panel.asPanel)!;
    panel.dispose();
    expect(tracker.get(panel.asPanel)).toBeNull();
    expect(memlens.isDisposed).toBe(true);
    expect(memlens.kernel.isDisposed).toBe(true);
    expect(memlens.live.isDisposed).toBe(true);
  });

  it('does not follow a panel that is already disposed when it becomes current', () => {
    const panel = new FakePanel();
    panel.isDisposed = true;
    const notebooks = new FakeNotebooks();
    const tracker = track(notebooks);
    notebooks.activate(panel);
    expect(tracker.current).toBeNull();
    expect(tracker.get(panel.asPanel)).toBeNull();
  });

  it('relays settings changes', () => {
    const tracker = track(new FakeNotebooks());
    let notified = 0;
    tracker.optionsChanged.connect(() => notified++);
    tracker.notifyOptionsChanged();
    expect(notified).toBe(1);
    expect(tracker.options).toBe(OPTIONS);
  });
});

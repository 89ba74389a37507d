import type { NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';
import type { ICellFinding } from '../../analyzer/types';
import { KernelSession } from '../../kernel/kernel-session';
import type { LiveFinding } from '../../kernel/protocol';
import { NotebookAnalysisModel } from '../analysis/analysis-model';
import type { AnalysisService } from '../analysis/analysis-service';
import { LiveMemoryModel } from '../live/live-model';
import { factsKey, liveFactsOf } from '../../analyzer/engine/live-facts';
import { MemoryGuard } from '../live/guard';
import { cellIds, cellSourceOf } from './cells';
import { LineProfileModel } from '../line-profiles/line-profiles';
import type { IMemlensOptions, INotebookMemlens } from '../../tokens';

export type { IMemlensOptions };

/**
 * memlens for one notebook: its kernel session, live memory facts and
 * static findings, wired together (kernel sizes sharpen ML201).
 */
export class NotebookMemlens implements INotebookMemlens {
  constructor(
    readonly panel: NotebookPanel,
    service: AnalysisService,
    options: () => IMemlensOptions
  ) {
    this.kernel = new KernelSession(panel.sessionContext, options);
    this.live = new LiveMemoryModel(this.kernel, options);
    this.guard = new MemoryGuard(this.kernel, options, limit =>
      this.live.updateLimit(limit)
    );
    this.analysis = new NotebookAnalysisModel(panel, service, options);
    this.profiles = new LineProfileModel(this.kernel, cellId =>
      cellSourceOf(panel, cellId)
    );
    this.live.changed.connect(this._onLiveChanged, this);
    this.profiles.changed.connect(this._emit, this);
    this.guard.changed.connect(this._emit, this);
    panel.context.model.cells.changed.connect(this._onCellsChanged, this);
    this.analysis.changed.connect(this._emit, this);
    panel.disposed.connect(this.dispose, this);
  }

  readonly kernel: KernelSession;
  readonly live: LiveMemoryModel;
  /** The memory limit and guard of the settings, and the post-mortem. */
  readonly guard: MemoryGuard;
  readonly analysis: NotebookAnalysisModel;
  /** Per-line memory profiles of the notebook's cells. */
  readonly profiles: LineProfileModel;

  /** Static findings followed by live ones. */
  get findings(): {
    static: readonly ICellFinding[];
    live: readonly LiveFinding[];
  } {
    return {
      static: this.analysis.findings,
      live: this.live.snapshot?.findings ?? []
    };
  }

  /** Emitted when findings or live facts change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this.profiles.dispose();
    this.guard.dispose();
    this.live.dispose();
    this.kernel.dispose();
    this.analysis.dispose();
    Signal.clearData(this);
  }

  private _onLiveChanged(): void {
    const facts = liveFactsOf(this.live.snapshot);
    const key = factsKey(facts);
    if (key !== this._factsKey) {
      this._factsKey = key;
      this.analysis.setLiveFacts(facts);
    }
    this._emit();
  }

  private _onCellsChanged(): void {
    this.profiles.retain(cellIds(this.panel));
  }

  private _emit(): void {
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  private _factsKey = '';
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}

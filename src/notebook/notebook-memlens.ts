import type { NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';
import type { IFinding } from '../analysis/types';
import type { IConnectionOptions } from '../kernel/connection';
import { KernelSession } from '../kernel/kernel-session';
import type { LiveFinding, ProfileMethod } from '../kernel/protocol';
import { NotebookAnalysisModel, IAnalysisOptions } from './analysis-model';
import type { AnalysisService } from './analysis-service';
import { LiveMemoryModel } from './live-model';
import { factsKey, liveFactsOf } from './live-facts';
import { cellIds, cellSourceOf } from './cells';
import { LineProfileModel } from './line-profiles';
import type { ILiveOptions, INotebookMemlens } from './types';

/** Everything memlens needs from the settings, read when used. */
export interface IMemlensOptions
  extends IAnalysisOptions, ILiveOptions, IConnectionOptions {
  /** Show findings as diagnostics in the cell editors. */
  editorDiagnostics: boolean;
  /**
   * How `memlens:profile-cell` profiles: `tracemalloc` (exact, traced
   * allocations) or `sampled` (resident memory sampled by a thread: coarse,
   * nearly free).
   */
  profileMethod: ProfileMethod;
}

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
    this.analysis = new NotebookAnalysisModel(panel, service, options);
    this.profiles = new LineProfileModel(this.kernel, cellId =>
      cellSourceOf(panel, cellId)
    );
    this.live.changed.connect(this._onLiveChanged, this);
    this.profiles.changed.connect(this._emit, this);
    panel.context.model.cells.changed.connect(this._onCellsChanged, this);
    this.analysis.changed.connect(this._emit, this);
    panel.disposed.connect(this.dispose, this);
  }

  readonly kernel: KernelSession;
  readonly live: LiveMemoryModel;
  readonly analysis: NotebookAnalysisModel;
  /** Per-line memory profiles of the notebook's cells. */
  readonly profiles: LineProfileModel;

  /** Static findings followed by live ones. */
  get findings(): {
    static: readonly IFinding[];
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

import type { NotebookPanel } from '@jupyterlab/notebook';
import type { ICellModel } from '@jupyterlab/cells';
import { ActivityMonitor } from '@jupyterlab/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { Coalescer } from './coalesce';
import type { ICellInput, NotebookAnalyzer } from '../analysis/engine';
import type { IFinding, ILiveFacts } from '../analysis/types';
import type { AnalysisService } from './analysis-service';
import type { INotebookAnalysis } from './types';

/** Settings the analysis reads on every run. */
export interface IAnalysisOptions {
  disabledRules: readonly string[];
  thresholdBytes: number;
  delayMs: number;
}

/**
 * Static findings of one notebook, kept up to date while the user types:
 * content changes are debounced, and the analyzer re-parses only the cells
 * that changed.
 */
export class NotebookAnalysisModel implements INotebookAnalysis, IDisposable {
  constructor(
    private readonly _panel: NotebookPanel,
    private readonly _service: AnalysisService,
    private readonly _options: () => IAnalysisOptions
  ) {
    const model = _panel.context.model;
    this._monitor = new ActivityMonitor({
      signal: model.contentChanged,
      timeout: _options().delayMs
    });
    this._monitor.activityStopped.connect(() => void this.analyze(), this);
    void _panel.context.ready.then(() => this.analyze());
  }

  /** The latest findings (cell indices are notebook indices). */
  get findings(): readonly IFinding[] {
    return this._findings;
  }

  /** Why the last analysis failed, if it did. */
  get error(): string | null {
    return this._error;
  }

  /** Emitted after every analysis. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The cell model at notebook index `index`, if any. */
  cellAt(index: number): ICellModel | null {
    const cells = this._panel.context.model.cells;
    return index >= 0 && index < cells.length ? cells.get(index) : null;
  }

  /** Sources the last findings were computed on, by cell id. */
  analyzedSource(cellId: string): string | undefined {
    return this._sources.get(cellId);
  }

  /** Use kernel facts to sharpen the static rules (ML201, ML202, ML404). */
  setLiveFacts(facts: ILiveFacts | null): void {
    this._live = facts;
    void this.analyze();
  }

  /** Analyze now (coalesced with a run already in flight). */
  analyze(): Promise<void> {
    return this._coalescer.run();
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._monitor.dispose();
    this._analyzer?.dispose();
    Signal.clearData(this);
  }

  private async _analyzeOnce(): Promise<void> {
    try {
      this._analyzer ??= await this._service.createAnalyzer();
      if (this._disposed) {
        return;
      }
      const options = this._options();
      this._monitor.timeout = options.delayMs;
      const cells = this._cells();
      this._findings = this._analyzer.analyze(cells, {
        disabled: options.disabledRules,
        thresholdBytes: options.thresholdBytes,
        live: this._live,
        activeCell: this._panel.content.activeCellIndex
      });
      this._sources = new Map(cells.map(cell => [cell.id ?? '', cell.source]));
      this._error = null;
    } catch (reason) {
      this._error = reason instanceof Error ? reason.message : String(reason);
      console.warn('memlens: analysis failed', reason);
    }
    this._changed.emit();
  }

  private _cells(): ICellInput[] {
    const cells: ICellInput[] = [];
    const all = this._panel.context.model.cells;
    for (let i = 0; i < all.length; i++) {
      const cell = all.get(i);
      cells.push({
        id: cell.id,
        kind:
          cell.type === 'code'
            ? 'code'
            : cell.type === 'markdown'
              ? 'markdown'
              : 'raw',
        source: cell.sharedModel.getSource()
      });
    }
    return cells;
  }

  private _analyzer: NotebookAnalyzer | null = null;
  private _findings: IFinding[] = [];
  private _sources = new Map<string, string>();
  private _live: ILiveFacts | null = null;
  private _error: string | null = null;
  private _monitor: ActivityMonitor<unknown, unknown>;
  private _disposed = false;
  private _coalescer = new Coalescer(
    () => this._analyzeOnce(),
    () => this._disposed
  );
  private _changed = new Signal<this, void>(this);
}

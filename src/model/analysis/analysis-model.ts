import type { NotebookPanel } from '@jupyterlab/notebook';
import type { ICellModel } from '@jupyterlab/cells';
import { ActivityMonitor } from '@jupyterlab/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { Coalescer } from '../../common/coalesce';
import { measure } from '../../common/user-timing';
import type { ICellInput } from '../../analyzer/engine/engine';
import type { IFinding, ILiveFacts } from '../../analyzer/types';
import type { AnalysisService } from './analysis-service';
import { remapFindings } from './remap';
import type { IAnalysisOptions, INotebookAnalysis } from '../../tokens';

export type { IAnalysisOptions };
import type { IAsyncAnalyzer } from '../../worker/worker-analyzer';
import { errorMessage } from '../../common/errors';

/**
 * Static findings of one notebook, kept up to date while the user types:
 * content changes are debounced, and the analyzer (in the analysis worker,
 * or on the main thread when there is none) re-parses only the cells that
 * changed.
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
    model.cells.changed.connect(() => this._cellsMoved++, this);
    void _panel.context.ready.then(() => this.analyze());
  }

  /**
   * The latest findings (cell indices are notebook indices); the same array
   * as long as they do not change.
   */
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
    let received: number | null = null;
    try {
      this._analyzer ??= await this._service.createAnalyzer();
      if (this._disposed) {
        this._analyzer.dispose(); // disposed while it was being created
        return;
      }
      const options = this._options();
      this._monitor.timeout = options.delayMs;
      const start = performance.now();
      const moved = this._cellsMoved;
      const cells = this._cells();
      const running = this._analyzer.analyze(cells, {
        disabled: options.disabledRules,
        thresholdBytes: options.thresholdBytes,
        live: this._live,
        activeCell: this._panel.content.activeCellIndex
      });
      // User Timing marks show memlens in the browser's performance tools:
      // the request is the main thread's share (all of it in the fallback).
      measure('memlens:analysis-request', start);
      const findings = await running;
      received = performance.now();
      measure('memlens:analysis', start, received);
      if (this._disposed) {
        return;
      }
      this._update(findings, cells, moved !== this._cellsMoved);
      this._sources = new Map(cells.map(cell => [cell.id ?? '', cell.source]));
      this._error = null;
    } catch (reason) {
      if (this._disposed) {
        return;
      }
      // the last findings stay: a failed run (or a crashed worker) must not
      // empty the panel and the editors
      this._error = errorMessage(reason);
      console.warn('memlens: analysis failed', reason);
    }
    this._changed.emit();
    if (received !== null) {
      // the findings reaching the panel and the cell editors
      measure('memlens:analysis-apply', received);
    }
  }

  /**
   * Take the analyzer's findings for `cells`, moved to the current cell order
   * when cells moved meanwhile. `findings` keeps the same array as long as
   * they do not change (most runs while typing), so views redraw only when
   * the reference changes; the worker answers "the same again" with the
   * previous array itself.
   */
  private _update(
    findings: IFinding[],
    cells: readonly ICellInput[],
    moved: boolean
  ): void {
    if (findings === this._raw && !moved) {
      return;
    }
    // (remapped findings are not the analyzer's: compare the next ones)
    this._raw = moved ? null : findings;
    const next = moved
      ? remapFindings(
          findings,
          cells.map(cell => cell.id ?? ''),
          this._cellIds()
        )
      : findings;
    const key = JSON.stringify(next);
    if (key !== this._findingsKey) {
      this._findings = next;
      this._findingsKey = key;
    }
  }

  private _cellIds(): string[] {
    const ids: string[] = [];
    const all = this._panel.context.model.cells;
    for (let i = 0; i < all.length; i++) {
      ids.push(all.get(i).id);
    }
    return ids;
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

  private _analyzer: IAsyncAnalyzer | null = null;
  /** Counts insertions, deletions and moves of cells. */
  private _cellsMoved = 0;
  private _findings: IFinding[] = [];
  private _findingsKey = '[]';
  /** The analyzer's last answer, before any move of cells. */
  private _raw: IFinding[] | null = null;
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

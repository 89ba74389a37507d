import type { NotebookPanel } from '@jupyterlab/notebook';
import { ActivityMonitor } from '@jupyterlab/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { Coalescer } from '../../common/coalesce';
import { measure } from '../../common/user-timing';
import type { ICellInput } from '../../analyzer/engine/engine';
import type {
  CellFindings,
  ICellFinding,
  ILiveFacts
} from '../../analyzer/types';
import type { AnalysisService } from './analysis-service';
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
    void _panel.context.ready.then(() => this.analyze());
  }

  /**
   * The latest findings by cell id, in notebook order; the same map as long
   * as no cell's findings change, and the same array for each cell whose
   * findings did not.
   */
  get cells(): CellFindings {
    return this._cells;
  }

  /**
   * Every finding of `cells` in notebook order (`cell` is the index when
   * analyzed, for display); the same array as long as `cells` is the same.
   */
  get findings(): readonly ICellFinding[] {
    if (this._flat?.cells !== this._cells) {
      this._flat = {
        cells: this._cells,
        all: [...this._cells.values()].flat()
      };
    }
    return this._flat.all;
  }

  /** The latest findings of the cell `cellId` (none: an empty array). */
  findingsOf(cellId: string): readonly ICellFinding[] {
    return this._cells.get(cellId) ?? NONE;
  }

  /** Why the last analysis failed, if it did. */
  get error(): string | null {
    return this._error;
  }

  /** Emitted after every analysis. */
  get changed(): ISignal<this, void> {
    return this._changed;
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
      const cells = this._cellInputs();
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
      // The analyzer keeps the map while nothing changed: the views compare
      // references, per cell.
      this._cells = findings;
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

  private _cellInputs(): ICellInput[] {
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
  private _cells: CellFindings = new Map();
  /** `findings` of `cells`, made when first read. */
  private _flat: {
    cells: CellFindings;
    all: readonly ICellFinding[];
  } | null = null;
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

const NONE: readonly ICellFinding[] = [];

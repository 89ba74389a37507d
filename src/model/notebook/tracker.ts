import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';
import type { IRule } from '../../analyzer/types';
import type { IMemlensTracker } from '../../tokens';
import type { AnalysisService } from '../analysis/analysis-service';
import { IMemlensOptions, NotebookMemlens } from './notebook-memlens';

/** Creates memlens for each notebook the notebook tracker sees. */
export class MemlensTracker implements IMemlensTracker {
  constructor(
    notebooks: INotebookTracker,
    private readonly _service: AnalysisService,
    private readonly _options: () => IMemlensOptions
  ) {
    notebooks.widgetAdded.connect((_, panel) => this._add(panel), this);
    notebooks.currentChanged.connect(
      (_, panel) => this._setCurrent(panel),
      this
    );
    notebooks.forEach(panel => this._add(panel));
    this._setCurrent(notebooks.currentWidget);
  }

  get current(): NotebookMemlens | null {
    return this._current;
  }

  get currentChanged(): ISignal<this, NotebookMemlens | null> {
    return this._currentChanged;
  }

  get added(): ISignal<this, NotebookMemlens> {
    return this._added;
  }

  get options(): IMemlensOptions {
    return this._options();
  }

  get optionsChanged(): ISignal<this, void> {
    return this._optionsChanged;
  }

  /** Tell every part of memlens that the settings changed. */
  notifyOptionsChanged(): void {
    this._optionsChanged.emit();
  }

  get rules(): readonly IRule[] {
    return this._service.rules;
  }

  get(panel: NotebookPanel): NotebookMemlens | null {
    return this._all.get(panel) ?? null;
  }

  forEach(fn: (memlens: NotebookMemlens) => void): void {
    this._all.forEach(fn);
  }

  private _add(panel: NotebookPanel): NotebookMemlens {
    let memlens = this._all.get(panel);
    if (!memlens) {
      memlens = new NotebookMemlens(panel, this._service, this._options);
      this._all.set(panel, memlens);
      panel.disposed.connect(() => this._all.delete(panel), this);
      this._added.emit(memlens);
    }
    return memlens;
  }

  private _setCurrent(panel: NotebookPanel | null): void {
    const memlens = panel && !panel.isDisposed ? this._add(panel) : null;
    if (memlens !== this._current) {
      this._current = memlens;
      this._currentChanged.emit(memlens);
    }
  }

  private _all = new Map<NotebookPanel, NotebookMemlens>();
  private _current: NotebookMemlens | null = null;
  private _currentChanged = new Signal<this, NotebookMemlens | null>(this);
  private _added = new Signal<this, NotebookMemlens>(this);
  private _optionsChanged = new Signal<this, void>(this);
}

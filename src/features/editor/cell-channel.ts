import type { EditorView } from '@codemirror/view';
import type { ICellEditors } from '../../tokens';

/** What a feature does with its cell state in an editor view. */
export interface ICellChannelOptions<T> {
  /** Show `value` in `view`, an editor of the cell `cellId`. */
  push(view: EditorView, value: T, cellId: string): void;
  /**
   * A value not kept once pushed (e.g. "no findings"): editors created
   * later have nothing to be given. Default: every value is kept.
   */
  isEmpty?(value: T): boolean;
  /** The user edited `view`, which was given `value`. */
  edited?(view: EditorView, value: T, cellId: string): void;
}

/**
 * The latest state of each cell for its editors, by cell id: given to every
 * editor view of the cell when it is set, and to each view created later
 * (a windowed notebook creates and destroys editors while scrolling). Each
 * feature that decorates cell editors (diagnostics, line profiles) has one,
 * over the one `ICellEditors`.
 */
export class CellChannel<T> {
  constructor(
    readonly views: ICellEditors,
    private readonly _options: ICellChannelOptions<T>
  ) {
    views.attached.connect((_, { cellId, view }) => {
      const value = this._values.get(cellId);
      if (value !== undefined) {
        // A view cannot be updated while it is being constructed.
        queueMicrotask(() => this._options.push(view, value, cellId));
      }
    }, this);
    views.edited.connect((_, { cellId, view }) => {
      const value = this._values.get(cellId);
      if (value !== undefined) {
        this._options.edited?.(view, value, cellId);
      }
    }, this);
  }

  /** The value last set for `cellId` and kept, if any. */
  get(cellId: string): T | undefined {
    return this._values.get(cellId);
  }

  /** The cells that have a value kept. */
  cellIds(): string[] {
    return [...this._values.keys()];
  }

  /** Set the state of `cellId` and push it to the cell's editors. */
  set(cellId: string, value: T): void {
    if (this._options.isEmpty?.(value)) {
      this._values.delete(cellId);
    } else {
      this._values.set(cellId, value);
    }
    for (const view of this.views.viewsOf(cellId)) {
      this._options.push(view, value, cellId);
    }
  }

  /** Forget the state of `cellId`; its editors keep what they show. */
  forget(cellId: string): void {
    this._values.delete(cellId);
  }

  private _values = new Map<string, T>();
}

import type { EditorView } from '@codemirror/view';
import { ISignal, Signal } from '@lumino/signaling';
import type { ICellEditors } from '../../tokens';

/** One notebook cell editor view and the cell it shows. */
export type ICellView = ICellEditors.IView;

/**
 * The CodeMirror views of notebook code cells, by cell id. Editors register
 * themselves when created (see `cell-views-extension.ts`) and leave when
 * destroyed; a windowed notebook creates and destroys them while scrolling,
 * so whoever pushes state into them listens to `attached`.
 */
export class CellViews implements ICellEditors {
  /** Emitted after a view was attached (it may still be constructing). */
  get attached(): ISignal<this, ICellView> {
    return this._attached;
  }

  /** Emitted when the user changed the text of a view. */
  get edited(): ISignal<this, ICellView> {
    return this._edited;
  }

  /** Attach an editor view showing the cell `cellId`. */
  attach(cellId: string, view: EditorView): void {
    let views = this._views.get(cellId);
    if (!views) {
      views = new Set();
      this._views.set(cellId, views);
    }
    views.add(view);
    this._attached.emit({ cellId, view });
  }

  /** Detach a view (the editor was destroyed). */
  detach(cellId: string, view: EditorView): void {
    const views = this._views.get(cellId);
    views?.delete(view);
    if (views?.size === 0) {
      this._views.delete(cellId);
    }
  }

  /** Report that the user edited `view`. */
  markEdited(cellId: string, view: EditorView): void {
    this._edited.emit({ cellId, view });
  }

  /** Every attached view of `cellId`. */
  viewsOf(cellId: string): readonly EditorView[] {
    return [...(this._views.get(cellId) ?? [])];
  }

  /** An editor view of `cellId`, if one is attached. */
  viewOf(cellId: string): EditorView | null {
    return this.viewsOf(cellId)[0] ?? null;
  }

  private _views = new Map<string, Set<EditorView>>();
  private _attached = new Signal<this, ICellView>(this);
  private _edited = new Signal<this, ICellView>(this);
}

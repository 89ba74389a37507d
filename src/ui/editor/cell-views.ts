import {
  EditorExtensionRegistry,
  IEditorExtensionFactory
} from '@jupyterlab/codemirror';
import type { Extension } from '@codemirror/state';
import { EditorView, ViewPlugin } from '@codemirror/view';
import { ISignal, Signal } from '@lumino/signaling';

/** One notebook cell editor view and the cell it shows. */
export interface ICellView {
  readonly cellId: string;
  readonly view: EditorView;
}

/**
 * The CodeMirror views of notebook code cells, by cell id. Editors register
 * themselves when created (see `cellViewsExtension`) and leave when
 * destroyed; a windowed notebook creates and destroys them while scrolling,
 * so whoever pushes state into them listens to `attached`.
 */
export class CellViews {
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

/**
 * An editor extension factory for JupyterLab's registry that registers
 * every notebook code cell editor in `views`, with `extensions` added to
 * those editors. Editors that are not notebook code cells (file editor,
 * console input, markdown) are left alone.
 */
export function cellViewsExtension(
  name: string,
  views: CellViews,
  extensions: Extension[] = []
): IEditorExtensionFactory {
  return {
    name,
    factory: ({ model }) => {
      const cellId = codeCellIdOf(model.sharedModel);
      if (cellId === null) {
        return null;
      }
      const plugin = ViewPlugin.define(view => {
        views.attach(cellId, view);
        return {
          update: update => {
            if (update.docChanged) {
              views.markEdited(cellId, view);
            }
          },
          destroy: () => views.detach(cellId, view)
        };
      });
      return EditorExtensionRegistry.createImmutableExtension([
        plugin,
        ...extensions
      ]);
    }
  };
}

/** The id of a code cell's shared model; null for anything else. */
function codeCellIdOf(shared: object): string | null {
  const candidate = shared as { id?: unknown; cell_type?: unknown };
  return candidate.cell_type === 'code' && typeof candidate.id === 'string'
    ? candidate.id
    : null;
}

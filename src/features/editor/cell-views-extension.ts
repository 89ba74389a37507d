import {
  EditorExtensionRegistry,
  IEditorExtensionFactory
} from '@jupyterlab/codemirror';
import type { Extension } from '@codemirror/state';
import { ViewPlugin } from '@codemirror/view';
import type { CellViews } from './cell-views';

/**
 * An editor extension factory for JupyterLab's registry that adds what
 * `extensions` builds (from the cell's id) to every notebook code cell
 * editor. Editors that are not notebook code cells (file editor, console
 * input, markdown) are left alone.
 */
export function codeCellExtension(
  name: string,
  extensions: (cellId: string) => Extension
): IEditorExtensionFactory {
  return {
    name,
    factory: ({ model }) => {
      const cellId = codeCellIdOf(model.sharedModel);
      return cellId === null
        ? null
        : EditorExtensionRegistry.createImmutableExtension(extensions(cellId));
    }
  };
}

/**
 * An editor extension factory that registers every notebook code cell
 * editor in `views` while it exists, and reports the user's edits.
 */
export function cellViewsExtension(
  name: string,
  views: CellViews
): IEditorExtensionFactory {
  return codeCellExtension(name, cellId =>
    ViewPlugin.define(view => {
      views.attach(cellId, view);
      return {
        update: update => {
          if (update.docChanged) {
            views.markEdited(cellId, view);
          }
        },
        destroy: () => views.detach(cellId, view)
      };
    })
  );
}

/** The id of a code cell's shared model; null for anything else. */
function codeCellIdOf(shared: object): string | null {
  const candidate = shared as { id?: unknown; cell_type?: unknown };
  return candidate.cell_type === 'code' && typeof candidate.id === 'string'
    ? candidate.id
    : null;
}

import {
  EditorExtensionRegistry,
  IEditorExtensionFactory
} from '@jupyterlab/codemirror';
import type { Extension } from '@codemirror/state';
import { ViewPlugin } from '@codemirror/view';
import type { CellViews } from './cell-views';

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

import {
  EditorExtensionRegistry,
  IEditorExtensionFactory
} from '@jupyterlab/codemirror';
import { ViewPlugin } from '@codemirror/view';
import type { DiagnosticsHub } from './hub';

/** Name of the editor extension in JupyterLab's registry. */
export const EXTENSION_NAME = 'jupyterlab-memlens:diagnostics';

/**
 * An editor extension factory that registers every notebook cell editor
 * with the hub, so analysis results reach it as lint diagnostics. Editors
 * that are not notebook cells (file editor, console input) are left alone.
 */
export function diagnosticsExtension(
  hub: DiagnosticsHub
): IEditorExtensionFactory {
  return {
    name: EXTENSION_NAME,
    factory: ({ model }) => {
      const cellId = cellIdOf(model.sharedModel);
      if (cellId === null) {
        return null;
      }
      const plugin = ViewPlugin.define(view => {
        hub.attach(cellId, view);
        return {
          update: update => {
            if (update.docChanged) {
              hub.edited(view);
            }
          },
          destroy: () => hub.detach(cellId, view)
        };
      });
      return EditorExtensionRegistry.createImmutableExtension(plugin);
    }
  };
}

function cellIdOf(shared: object): string | null {
  const candidate = shared as { id?: unknown; cell_type?: unknown };
  return candidate.cell_type === 'code' && typeof candidate.id === 'string'
    ? candidate.id
    : null;
}

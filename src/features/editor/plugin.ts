import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import { ICellEditors } from '../../tokens';
import { CellViews } from './cell-views';
import { cellViewsExtension } from './cell-views-extension';

/**
 * The editor views of notebook code cells, by cell id: one registry for
 * the features that decorate cell editors (diagnostics, line profiles).
 */
export const cellEditorsPlugin: JupyterFrontEndPlugin<ICellEditors> = {
  id: 'jupyterlab-memlens:cell-editors',
  description: 'Keeps the editor views of notebook code cells by cell id.',
  autoStart: true,
  requires: [IEditorExtensionRegistry],
  provides: ICellEditors,
  activate: (
    app: JupyterFrontEnd,
    registry: IEditorExtensionRegistry
  ): ICellEditors => {
    const views = new CellViews();
    registry.addExtension(
      cellViewsExtension('jupyterlab-memlens:cell-editors', views)
    );
    return views;
  }
};

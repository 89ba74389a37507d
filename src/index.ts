/**
 * memlens JupyterLab extension: plugin wiring only.
 */
import { corePlugin } from './model/plugin';
import { cellEditorsPlugin } from './features/editor/plugin';
import { alertsPlugin } from './features/alerts/plugin';
import { diagnosticsPlugin } from './features/diagnostics/plugin';
import { panelPlugin } from './features/panel/plugin';
import { profilePlugin } from './features/line-profile/plugin';
import { statusPlugin } from './features/status/plugin';

export * from './tokens';

export default [
  corePlugin,
  panelPlugin,
  cellEditorsPlugin,
  diagnosticsPlugin,
  profilePlugin,
  statusPlugin,
  alertsPlugin
];

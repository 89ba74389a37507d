/**
 * memlens JupyterLab extension: plugin wiring only.
 */
import { corePlugin } from './plugins/core';
import { diagnosticsPlugin } from './plugins/diagnostics';
import { panelPlugin } from './plugins/panel';
import { profilePlugin } from './plugins/profile';
import { statusPlugin } from './plugins/status';

export * from './tokens';

export default [
  corePlugin,
  panelPlugin,
  diagnosticsPlugin,
  profilePlugin,
  statusPlugin
];

import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { AnalysisService } from './analysis/analysis-service';
import { browserParserAssets, spawnAnalysisWorker } from '../worker/browser';
import type { IMemlensOptions } from './notebook/notebook-memlens';
import { MemlensTracker } from './notebook/tracker';
import { IMemlensTracker } from '../tokens';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { useTranslator } from '../common/i18n';
import { DEFAULT_THRESHOLD_BYTES, parseBytes } from '../common/bytes';
import { parseGuardLevel } from './live/memory-limit';

/** The settings plugin id (schema/settings/plugin.json). */
export const PLUGIN_ID = 'jupyterlab-memlens:plugin';

const DEFAULTS: IMemlensOptions = {
  disabledRules: [],
  thresholdBytes: DEFAULT_THRESHOLD_BYTES,
  delayMs: 300,
  timeline: true,
  refreshAfterEachCell: true,
  autoInject: true,
  editorDiagnostics: true,
  profileMethod: 'tracemalloc',
  memoryLimitBytes: null,
  guardLevel: null
};

/** Reads the user's settings into the options every part of memlens uses. */
function toOptions(
  settings: ISettingRegistry.ISettings | null
): IMemlensOptions {
  if (!settings) {
    return DEFAULTS;
  }
  const get = <T>(key: string, fallback: T): T =>
    (settings.composite[key] as T | undefined) ?? fallback;
  return {
    disabledRules: get<string[]>('disabledRules', []),
    thresholdBytes: get<number>('sizeThresholdMB', 50) * 2 ** 20,
    delayMs: get<number>('analysisDelayMs', 300),
    timeline: get<boolean>('timeline', true),
    refreshAfterEachCell:
      get<string>('refreshPolicy', 'after-each-cell') === 'after-each-cell',
    autoInject: get<boolean>('autoInjectHelper', true),
    editorDiagnostics: get<boolean>('editorDiagnostics', true),
    profileMethod:
      get<string>('profileMethod', 'tracemalloc') === 'sampled'
        ? 'sampled'
        : 'tracemalloc',
    memoryLimitBytes: parseBytes(get<string>('memoryLimit', '')) || null,
    guardLevel: get<boolean>('guardEnabled', false)
      ? parseGuardLevel(get<string>('guardLevel', '90%'))
      : null
  };
}

/**
 * memlens core: follows every notebook with static analysis, a kernel
 * helper connection and live facts; owns the settings.
 */
export const corePlugin: JupyterFrontEndPlugin<IMemlensTracker> = {
  id: PLUGIN_ID,
  description:
    'memlens: memory analysis of notebooks (settings, analysis, kernel helper).',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, ITranslator],
  provides: IMemlensTracker,
  activate: async (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    registry: ISettingRegistry | null,
    translator: ITranslator | null
  ): Promise<IMemlensTracker> => {
    // before any other memlens plugin builds its widgets: they all need it
    useTranslator(translator ?? nullTranslator);
    let options = DEFAULTS;
    const settings = registry
      ? await registry.load(PLUGIN_ID).catch(() => null)
      : null;
    options = toOptions(settings);
    const tracker = new MemlensTracker(
      notebooks,
      new AnalysisService({
        assets: browserParserAssets(),
        spawn: spawnAnalysisWorker
      }),
      () => options
    );
    settings?.changed.connect(() => {
      const previous = options;
      options = toOptions(settings);
      tracker.forEach(memlens => {
        void memlens.analysis.analyze();
        if (previous.autoInject !== options.autoInject) {
          memlens.kernel.reconnect();
        }
        if (
          JSON.stringify([previous.memoryLimitBytes, previous.guardLevel]) !==
          JSON.stringify([options.memoryLimitBytes, options.guardLevel])
        ) {
          void memlens.guard.apply();
        }
      });
      tracker.notifyOptionsChanged();
    });
    NotebookActions.executed.connect((_, { notebook }) => {
      tracker.forEach(memlens => {
        if (memlens.panel.content === notebook) {
          memlens.live.cellExecuted();
        }
      });
    });
    return tracker;
  }
};

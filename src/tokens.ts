import type { NotebookPanel } from '@jupyterlab/notebook';
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { IRule } from './analysis/types';
import type { IMemlensOptions } from './notebook/notebook-memlens';
import type { INotebookMemlens } from './notebook/types';

export type {
  ActionResult,
  IKernelSession,
  ILineProfiles,
  ILiveMemory,
  INotebookAnalysis,
  INotebookMemlens,
  KernelAction
} from './notebook/types';

/**
 * Tracks memlens for every open notebook: static analysis, the kernel
 * helper connection and live facts.
 */
export interface IMemlensTracker {
  /** memlens of the active notebook, if any. */
  readonly current: INotebookMemlens | null;
  /** Emitted when the active notebook changes. */
  readonly currentChanged: ISignal<IMemlensTracker, INotebookMemlens | null>;
  /** Emitted when memlens starts following a newly opened notebook. */
  readonly added: ISignal<IMemlensTracker, INotebookMemlens>;
  /** The current settings, as memlens uses them. */
  readonly options: IMemlensOptions;
  /** Emitted after the user changed the settings. */
  readonly optionsChanged: ISignal<IMemlensTracker, void>;
  /** Every rule of the static analyzer (documentation, settings). */
  readonly rules: readonly IRule[];
  /** memlens of a notebook panel, if it is tracked. */
  get(panel: NotebookPanel): INotebookMemlens | null;
  /** Run `fn` on every tracked notebook. */
  forEach(fn: (memlens: INotebookMemlens) => void): void;
}

/** The memlens tracker token. */
export const IMemlensTracker = new Token<IMemlensTracker>(
  'jupyterlab-memlens:IMemlensTracker',
  'memlens for each open notebook: findings, kernel helper connection and live memory facts.'
);

/** Command ids (stable: used by tests and users' shortcuts). */
export namespace CommandIDs {
  export const openPanel = 'memlens:open-panel';
  export const refresh = 'memlens:refresh';
  export const collectGarbage = 'memlens:collect-garbage';
  export const analyzeNotebook = 'memlens:analyze-notebook';
  /** Profile the active cell with the method of the settings. */
  export const profileCell = 'memlens:profile-cell';
  /** Profile the active cell, sampled (coarse, nearly free). */
  export const profileCellSampled = 'memlens:profile-cell-sampled';
  /** Profile the active cell, exact (traced allocations). */
  export const profileCellExact = 'memlens:profile-cell-exact';
}

/**
 * The public interfaces of memlens: what the features (panel, diagnostics,
 * line profiles, status, actions), the commands and other extensions may
 * use of a notebook's memlens, and the tracker token. The models in
 * model/ implement them; this file imports only types (JupyterLab's, the
 * analyzer's and the wire's), never an implementation.
 */
import type { EditorView } from '@codemirror/view';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Token } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import type { CellFindings, ICellFinding, IRule } from './analyzer/types';
import type { ConnectionState, IConnectionOptions } from './kernel/comm-util';
import type {
  DataframeReport,
  DeleteResult,
  Explanation,
  GuardData,
  IReplies,
  LimitSource,
  LiveFinding,
  Profile,
  ProfileMethod,
  Postmortem,
  Snapshot,
  TimelineEntry
} from './kernel/protocol';

export type { ConnectionState, IConnectionOptions };

/** Kernel-wide actions of the panel. */
export type KernelAction =
  | 'collect'
  | 'clear_output_cache'
  | 'clear_last_error'
  | 'close_figures'
  | 'release_to_os';

/** The result payload of a kernel-wide action. */
export type ActionResult<K extends KernelAction> = NonNullable<
  IReplies[K]['result']
>;

/** Settings the live model reads each time it needs them. */
export interface ILiveOptions {
  thresholdBytes: number;
  timeline: boolean;
  refreshAfterEachCell: boolean;
  /** A memory limit the user set (null or absent: the helper detects it). */
  memoryLimitBytes?: number | null;
  /** Where the guard interrupts a running cell (null or absent: off). */
  guardLevel?: GuardLevel | null;
}

/** The guard's level: a size, or a fraction of the memory limit. */
export type GuardLevel = { bytes: number } | { fraction: number };

/** The memory limit the kernel lives under and where it comes from. */
export interface IMemoryLimit {
  bytes: number;
  source: LimitSource | null;
}

/** The notebook's kernel, as far as memlens follows it. */
export interface IKernelSession {
  /** True while the kernel is executing something. */
  readonly kernelBusy: boolean;
  /** Drop the helper connection and open a new one. */
  reconnect(): void;
}

/** Live memory facts of the notebook's kernel and the panel's actions. */
export interface ILiveMemory {
  /** The last snapshot, or null (no kernel, restarted, not yet fetched). */
  readonly snapshot: Snapshot | null;
  /** The kernel's latest resident memory. */
  readonly rssBytes: number | null;
  /** The resident memory split into parts (protocol 1.2), or null. */
  readonly explanation: Explanation | null;
  /** The memory limit the kernel lives under, when the helper knows it. */
  readonly limit: IMemoryLimit | null;
  /** Memory around each executed cell, oldest first. */
  readonly timeline: readonly TimelineEntry[];
  /** State of the helper connection. */
  readonly state: ConnectionState | 'no-kernel';
  /** The connected helper's version and whether memlens injected it. */
  readonly helper: { version: string; injected: boolean } | null;
  /** A sentence for the user about the connection state. */
  readonly stateMessage: string;
  /** True while the kernel runs a cell and the helper cannot answer. */
  readonly busy: boolean;
  /** The last refresh error, if the last refresh failed. */
  readonly error: string | null;
  /** Emitted whenever anything above changes. */
  readonly changed: ISignal<ILiveMemory, void>;
  /** Whether a view shows these facts (refresh only then). */
  visible: boolean;
  /** Fetch a new snapshot (and timeline). */
  refresh(): Promise<void>;
  /** Ask for a refresh after the user ran a cell (per the settings). */
  cellExecuted(): void;
  /** Per-column memory and dtype suggestions of a DataFrame variable. */
  dataframe(name: string): Promise<DataframeReport>;
  /** Delete a variable in the kernel (and its output-cache references). */
  free(name: string, clearOutputCache?: boolean): Promise<DeleteResult>;
  /** Run one of the kernel-wide actions, then refresh. */
  act<K extends KernelAction>(action: K): Promise<ActionResult<K>>;
}

/**
 * The memory guard of the notebook's kernel (protocol 1.2): sends the
 * limit and guard level of the settings to the helper, relays the guard's
 * interruptions and the post-mortem of a kernel that died.
 */
export interface IMemoryGuard {
  /** What the previous kernel recorded before it died, or null. */
  readonly postmortem: Postmortem | null;
  /** The resident size at which the helper interrupts a cell (null: off). */
  readonly level: number | null;
  /** Why the settings could not be applied, if they could not. */
  readonly error: string | null;
  /** Emitted when the guard interrupted a running cell. */
  readonly tripped: ISignal<IMemoryGuard, GuardData>;
  /** Emitted once per post-mortem, when the restarted kernel's helper answers. */
  readonly postmortemFound: ISignal<IMemoryGuard, Postmortem>;
  /** Emitted when `postmortem`, `level` or `error` changes. */
  readonly changed: ISignal<IMemoryGuard, void>;
  /** Forget the post-mortem (the user read it). */
  dismissPostmortem(): void;
  /** Send the limit and guard level of the settings to the helper again. */
  apply(): Promise<void>;
}

/** Static findings of the notebook, kept up to date while the user types. */
export interface INotebookAnalysis {
  /**
   * The latest findings by cell id, in notebook order; the same map while
   * no cell's findings change, the same array for each cell whose did not.
   */
  readonly cells: CellFindings;
  /**
   * Every finding, in notebook order (`cell` is the cell's index when it
   * was analyzed, for display; `cellId` finds the cell).
   */
  readonly findings: readonly ICellFinding[];
  /** Why the last analysis failed, if it did. */
  readonly error: string | null;
  /** Emitted after every analysis. */
  readonly changed: ISignal<INotebookAnalysis, void>;
  /** The latest findings of the cell `cellId`. */
  findingsOf(cellId: string): readonly ICellFinding[];
  /** Sources the last findings were computed on, by cell id. */
  analyzedSource(cellId: string): string | undefined;
  /** Analyze the notebook now. */
  analyze(): Promise<void>;
}

/** Per-line memory profiles of the notebook's cells. */
export interface ILineProfiles {
  /** The last profile of every profiled cell, biggest peak first. */
  readonly profiles: readonly ICellProfile[];
  /** Cell ids armed for their next run. */
  readonly armed: ReadonlySet<string>;
  /** Emitted when a profile arrives, is forgotten, or arming changes. */
  readonly changed: ISignal<ILineProfiles, void>;
  /** Emitted with each profile as it arrives. */
  readonly received: ISignal<ILineProfiles, ICellProfile>;
  /** Emitted with armed cell ids that will not be profiled after all. */
  readonly dropped: ISignal<ILineProfiles, readonly string[]>;
  /** The last profile of `cellId`, if any. */
  get(cellId: string): ICellProfile | null;
  /**
   * Arm the next run of `cellId`, whose source is `source` at that run,
   * for a profile made with `method` (exact `tracemalloc` by default).
   */
  arm(cellId: string, source: string, method?: ProfileMethod): Promise<void>;
  /** Whether the run `executionCount` of `cellId` was profiled. */
  isProfiledRun(
    cellId: string | null | undefined,
    executionCount: number | null | undefined
  ): boolean;
}

/** memlens of one notebook: its kernel, live facts, findings and profiles. */
export interface INotebookMemlens extends IDisposable {
  readonly panel: NotebookPanel;
  readonly kernel: IKernelSession;
  readonly live: ILiveMemory;
  readonly guard: IMemoryGuard;
  readonly analysis: INotebookAnalysis;
  readonly profiles: ILineProfiles;
  /** Static findings followed by live ones. */
  readonly findings: {
    static: readonly ICellFinding[];
    live: readonly LiveFinding[];
  };
  /** Emitted when findings or live facts change. */
  readonly changed: ISignal<INotebookMemlens, void>;
}

/** The last per-line profile of one cell, with the source it ran. */
export interface ICellProfile {
  readonly cellId: string;
  /** The cell's source when it ran: lines are numbered in it. */
  readonly source: string;
  readonly profile: Profile;
}

/** Settings the analysis reads on every run. */
export interface IAnalysisOptions {
  disabledRules: readonly string[];
  thresholdBytes: number;
  delayMs: number;
}

/** Everything memlens needs from the settings, read when used. */
export interface IMemlensOptions
  extends IAnalysisOptions, ILiveOptions, IConnectionOptions {
  /** Show findings as diagnostics in the cell editors. */
  editorDiagnostics: boolean;
  /**
   * How `memlens:profile-cell` profiles: `tracemalloc` (exact, traced
   * allocations) or `sampled` (resident memory sampled by a thread: coarse,
   * nearly free).
   */
  profileMethod: ProfileMethod;
}

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

/**
 * The CodeMirror views of notebook code cells, by cell id: the one registry
 * of the features that put per-cell state into cell editors (diagnostics,
 * line profiles). A windowed notebook creates and destroys editors while
 * scrolling, so a feature listens to `attached` (see `CellChannel`).
 */
export interface ICellEditors {
  /** Emitted after a view was attached (it may still be constructing). */
  readonly attached: ISignal<ICellEditors, ICellEditors.IView>;
  /** Emitted when the user changed the text of a view. */
  readonly edited: ISignal<ICellEditors, ICellEditors.IView>;
  /** Every attached view of `cellId`. */
  viewsOf(cellId: string): readonly EditorView[];
  /** An editor view of `cellId`, if one is attached. */
  viewOf(cellId: string): EditorView | null;
}

export namespace ICellEditors {
  /** One notebook cell editor view and the cell it shows. */
  export interface IView {
    readonly cellId: string;
    readonly view: EditorView;
  }
}

/** The cell editors token. */
export const ICellEditors = new Token<ICellEditors>(
  'jupyterlab-memlens:ICellEditors',
  'The editor views of notebook code cells, by cell id.'
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

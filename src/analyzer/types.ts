/**
 * Public types of the static analyzer. Pure TypeScript: nothing here may
 * import JupyterLab, Lumino or node built-ins, so the same code runs in the
 * browser, in jest and in the CLI.
 */
import type { Tree } from 'web-tree-sitter';
import type { SyntaxNode } from './syntax/syntax';

/** How loud a finding is. The analyzer never reports `error`. */
export type Severity = 'warning' | 'info' | 'hint';

/** A 0-based, end-exclusive range inside one cell's source. */
export interface IRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Replace `range` of cell `cell` (notebook index) with `text`. */
export interface ITextEdit extends IRange {
  cell: number;
  text: string;
}

/** An exact, safe text fix: applying all edits keeps the cell valid Python. */
export interface IFix {
  description: string;
  edits: ITextEdit[];
}

/** A fix that needs the kernel, e.g. `del name` on the live namespace. */
export interface IKernelAction {
  kind: 'delete';
  name: string;
}

/** One finding, as the CLI's JSON and the editor diagnostics use it. */
export interface IFinding extends IRange {
  /** Rule id, e.g. `ML101`. */
  rule: string;
  severity: Severity;
  /** 0-based index among ALL cells of the notebook (markdown included). */
  cell: number;
  /** One sentence naming the variable or call. */
  message: string;
  /** Why it costs memory (short). */
  rationale: string;
  fix: IFix | null;
  action?: IKernelAction | null;
}

/** A text edit that names its cell by id as well (see `ICellFinding`). */
export interface ICellTextEdit extends ITextEdit {
  cellId: string;
}

/**
 * A finding that names its cell by id: how findings travel in JupyterLab,
 * where cells move while the analysis runs. `cellId` finds the cell; `cell`
 * (and each edit's `cell`) is the cell's index in the notebook as analyzed,
 * for display only. The CLI never sees these (its contract is the index).
 */
export interface ICellFinding extends Omit<IFinding, 'fix'> {
  cellId: string;
  fix: { description: string; edits: ICellTextEdit[] } | null;
}

/**
 * A notebook's findings by cell id, in notebook order, cells with findings
 * only; each cell's findings sorted by position. Producers keep a cell's
 * array (and the map) the same object while its findings do not change.
 */
export type CellFindings = ReadonlyMap<string, readonly ICellFinding[]>;

/** User documentation of a rule (`memlens rule ML101`, the panel). */
export interface IRuleDocs {
  /** Why the pattern costs memory. */
  why: string;
  /** What to do instead. */
  whatToDo: string;
  /** A small bad example (Python source). */
  bad: string;
  /** The same example fixed. */
  good: string;
}

/** Static metadata every rule exports. */
export interface IRuleInfo {
  /**
   * Stable id: `ML` (static), `LV` (live) or `MB` (memory budget of an
   * executed lint) + three digits.
   */
  id: string;
  /** Kebab-case name from the catalog, e.g. `str-concat-in-loop`. */
  name: string;
  /** One-line human title. */
  title: string;
  severity: Severity;
  docs: IRuleDocs;
}

/** A code cell after IPython syntax was masked and the source parsed. */
export interface IParsedCell {
  /** 0-based index among all notebook cells. */
  index: number;
  /** The cell's original source. */
  source: string;
  /** Same length as `source`, line for line; IPython-only syntax blanked. */
  masked: string;
  /**
   * tree-sitter's tree, kept to re-parse the cell incrementally after an
   * edit; null once released (kept-trees.ts). Rules read `root`.
   */
  tree: Tree | null;
  /** The syntax tree the rules read (see `syntax.ts`). */
  root: SyntaxNode;
  /**
   * Facts computed from this cell alone, by memo slot (see `perCell` in
   * rules/util/cell-cache.ts); they live as long as this parse.
   */
  readonly memo: unknown[];
}

/** A finding as a rule reports it; the engine fills `rule` and `cell`. */
export type IReport = Omit<
  IFinding,
  'rule' | 'cell' | 'severity' | 'rationale'
> &
  Partial<Pick<IFinding, 'severity' | 'rationale'>>;

/** What a cell-local rule sees. */
export interface ICellRuleContext {
  cell: IParsedCell;
  report(finding: IReport): void;
}

/** A rule that looks at one cell alone (re-run only when that cell changes). */
export interface ICellRule extends IRuleInfo {
  scope: 'cell';
  check(context: ICellRuleContext): void;
}

/** Facts from a running kernel that sharpen static findings. */
export interface ILiveFacts {
  /** Deep size in bytes of each live user variable. */
  sizes: ReadonlyMap<string, number>;
  /**
   * Narrower dtypes the kernel measured for DataFrame variables (LV103):
   * variable name → column → dtype.
   */
  dtypes?: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** Why a name is bound. */
export type BindingKind =
  | 'assign'
  | 'augmented'
  | 'annotated'
  | 'for'
  | 'with'
  | 'import'
  | 'def'
  | 'class'
  | 'walrus'
  | 'other';

/** A top-level (module-scope) binding of a name in one cell. */
export interface IBinding {
  name: string;
  kind: BindingKind;
  /** Range of the bound name itself. */
  range: IRange;
  /** The top-level statement containing the binding. */
  statement: SyntaxNode;
  /** The value of `name = value` with a single name target, else null. */
  value: SyntaxNode | null;
}

/** A read (or `del`) of a module-scope name in one cell. */
export interface IReference {
  name: string;
  range: IRange;
  /** The top-level statement containing the read. */
  statement: SyntaxNode;
  /**
   * Name of the enclosing function or lambda (`<lambda>`) defined in the
   * notebook when the read happens in its body (a global read at call
   * time), else null.
   */
  inFunction: string | null;
}

/** Top-level definitions and reads of one code cell. */
export interface ICellDataflow {
  /** Notebook index of the cell. */
  cell: number;
  /** Module-scope bindings, in source order. */
  defs: readonly IBinding[];
  /**
   * Reads of names that are global where they happen (top-level code,
   * function bodies reading globals, f-strings, `df.query("@name")`).
   */
  refs: readonly IReference[];
  /** Names removed by a top-level `del name` or `%xdel name`. */
  deletes: readonly IReference[];
  /** True when the cell runs `%reset -f`: every name is unbound. */
  reset?: boolean;
  /** Files the cell writes with a path literal, in source order. */
  writes?: readonly IFileWrite[];
  /** Collections the cell fills with files read in a loop over a folder listing. */
  filled?: readonly IFilledCollection[];
}

/** A collection a cell fills file by file, and the folder listed if spelled. */
export interface IFilledCollection {
  name: string;
  folder: string | null;
  /**
   * The name the loop iterates when an earlier cell bound it (`paths =
   * glob.glob(...)` there, `for p in paths:` here): the collection is
   * filled from files only if that name holds a listing when the cell runs.
   */
  listing?: string;
}

/** A file a cell writes (`df.to_csv("out.csv")`): what, where, when. */
export interface IFileWrite {
  /** The path as the notebook spells it. */
  path: string;
  /** The value written (`df` of `df.to_csv(...)`). */
  value: SyntaxNode;
  /** Start offset of the writing call in the cell. */
  at: number;
}

/** Cross-cell dataflow: per-cell defs and refs in notebook order. */
export interface INotebookDataflow {
  /** One entry per analyzed code cell, in notebook order. */
  cells: readonly ICellDataflow[];
  /** Every global name read inside a function body defined in the notebook. */
  functionReads: ReadonlySet<string>;
  /**
   * The size in bytes of the file at a path as the notebook spells it
   * (relative to the notebook), or null when unknown; absent when the host
   * cannot look (see `IAnalyzeOptions.fileSize`).
   */
  fileSize?: (path: string) => number | null;
  /** Saved output text of code cells, by notebook index (`ICellInput.outputs`). */
  outputs?: ReadonlyMap<number, string>;
}

/** What a notebook-level (cross-cell) rule sees. */
export interface INotebookRuleContext {
  /** Parsed code cells, in notebook order. */
  cells: readonly IParsedCell[];
  /** Defs and refs of those cells, in the same order. */
  dataflow: INotebookDataflow;
  /** Kernel facts when a kernel is connected, else null. */
  live: ILiveFacts | null;
  /** Size threshold for "large" in bytes (default 50 MB). */
  thresholdBytes: number;
  /**
   * Notebook index of the cell the user is editing, when known (the UI
   * passes it; the CLI does not).
   */
  activeCell?: number | null;
  /** Report a finding in cell `cell` (notebook index). */
  report(cell: number, finding: IReport): void;
}

/** A rule that needs the whole notebook (re-run after any cell changes). */
export interface INotebookRule extends IRuleInfo {
  scope: 'notebook';
  check(context: INotebookRuleContext): void;
}

/** Any rule. */
export type IRule = ICellRule | INotebookRule;

/** One notebook cell as the analyzer receives it. */
export interface ICellInput {
  kind: 'code' | 'markdown' | 'raw';
  source: string;
  /** Stable cell id (nbformat 4.5 `id`, JupyterLab model id); optional. */
  id?: string;
  /**
   * The plain text of the cell's saved outputs (streams, `text/plain`
   * results), when the host has them: what `df.shape`, `df.info()` or a
   * displayed frame printed tells the size of a variable.
   */
  outputs?: string;
}

/** Options of one analysis run. */
export interface IAnalyzeOptions {
  /** Only these rule ids (or id prefixes such as `ML2`); default all. */
  select?: readonly string[];
  /** Skip these rule ids or prefixes. */
  ignore?: readonly string[];
  /** Rule ids disabled by settings (same effect as `ignore`). */
  disabled?: readonly string[];
  /** Kernel facts (live sizes) when a kernel is connected. */
  live?: ILiveFacts | null;
  /** "Large" threshold in bytes; default 50 MiB. */
  thresholdBytes?: number;
  /** Notebook index of the cell being edited, when known. */
  activeCell?: number | null;
  /**
   * The size of a data file as a cell spells its path (relative to the
   * notebook), or null when unknown: a read of a file known to be small
   * (≤ 1 MiB) is not a large load. The CLI looks on disk.
   */
  fileSize?: (path: string) => number | null;
}

/** Counters of the last run, for tests and the benchmark. */
export interface IAnalyzerStats {
  /** Code cells parsed in the last run. */
  parsed: number;
  /** Code cells whose cached parse was reused. */
  reused: number;
  /** Of the parsed cells, those re-parsed from their previous tree (edits). */
  incremental: number;
  /** `rule id` or `parse`/`dataflow` failures contained in the last run. */
  failures: string[];
  /**
   * Milliseconds of the last run by step: `parse` (masking + parsing of
   * the re-parsed cells), `syntax` (copying their trees for the rules),
   * `dataflow` (of the re-parsed cells, and the notebook-wide passes), and
   * each rule id.
   */
  timings: Record<string, number>;
}

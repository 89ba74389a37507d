/**
 * ML201: a top-level name holding a large value that no later cell reads:
 * its memory stays allocated for the rest of the session.
 */
import { cellByIndex } from '../../semantic/dataflow';
import type { SyntaxNode } from '../../syntax/syntax';
import { insertAt, namedChildren } from '../../syntax/tree';
import {
  INameGroup,
  nameGroups,
  namePositions,
  perName
} from '../../semantic/dataflow/by-name';
import { largeness } from '../../semantic/dataflow/largeness';
import { sizeHint } from '../../semantic/dataflow/size-hint';
import type {
  IBinding,
  IFix,
  INotebookDataflow,
  INotebookRule,
  INotebookRuleContext,
  IParsedCell,
  IReport
} from '../../types';
import { isEmpty, isLight, lastMeaningfulPosition } from './notebook-end';
import { isShared } from './sharing';
import { formatBytes } from '../../../common/bytes';

/** Calls that read names dynamically: give up rather than guess. */
const DYNAMIC = new Set(['eval', 'exec', 'globals', 'locals', 'vars']);
const VALUE_KINDS = new Set(['assign', 'annotated', 'walrus']);

interface ILastUse {
  binding: IBinding;
  bindingCell: number;
  /** Code-cell position (0-based among code cells) of the last use. */
  lastPosition: number;
  /** Statement of the last read (or the binding) and its cell index. */
  statement: SyntaxNode;
  cell: number;
  deleted: boolean;
  /** The finding's report without a kernel size, once made. */
  report?: IReport;
}

/** ML201: a large top-level value never used again. */
export const ML201: INotebookRule = {
  id: 'ML201',
  name: 'dead-variable',
  title: 'Large variable no longer used',
  severity: 'info',
  scope: 'notebook',
  docs: {
    why: "A top-level name keeps its object alive for the whole session. Once no later cell reads it, the memory is held for nothing until the kernel restarts. Without a kernel memlens flags only values the source shows to be large: data loads (`pd.read_*` without `nrows`/`chunksize`, `np.load`, `pickle.load`, a whole file read, scikit-learn's `load_files` of a folder, a pretrained network's weights (`AutoModel.from_pretrained(...)`, not its tokenizer), a whole HDF5 dataset read into memory (`f[\"x\"][:]` of `h5py.File`), a collection filled file by file with what a loop over a folder listing read, also a listing an earlier cell made), allocations of at least a million literal elements, and whole-object transforms of those (a function of the notebook that returns its argument, `df = reduce_mem_usage(df)`, `df.dropna()`, `arr > 0.5`, `arr = arr[:, 10:90]`: a name rebound to a slice of itself still holds the whole value). Not flagged: small or unknown sizes (`np.zeros(10)`, `np.zeros(n)`), reductions (`.mean()`, `.describe()`), aliases and views (`b = a`, `a[:, 0]`, `df[\"col\"]`, `df.head(10)`, `df.iloc[:100]`, `df.values`: `del` would free nothing while they live), names removed by `del`/`%xdel`/`%reset -f`, names passed to a class being instantiated (`Dataset(df)` usually keeps `df`), and, in a finished notebook (`memlens lint`, no kernel), notebooks whose remaining cells only print, look at or measure values (`len(x)`, `x.sum()`) or write files. Loads the notebook shows to be small are not large either: reads of text in memory (`StringIO`, `json.dumps(...)`), files of at most 1 MiB (`memlens lint` looks beside the notebook), teaching datasets known by their file name (`iris.csv`, `titanic.csv` or Kaggle's `titanic/train.csv`, `tips.csv`, `airline-passengers.csv`, on disk or at a URL), a file the notebook itself wrote from a small value (`sample.to_feather(p)` then `pd.read_feather(p)`), SQL results from a SQLite database file of at most 1 MiB, files read one by one from a folder of at most 1 MiB, a training run's own log (a path under `logger.log_dir`), and values whose saved outputs showed them small (`df.shape`, `df.info()`, a displayed frame's `[N rows x M columns]`). With a kernel, any name at or above the size threshold, with its real size. The message says what `del` frees when it is known (the kernel's size, a literal allocation's size, the size of the file read).",
    whatToDo:
      'Delete the name after its last use (`del df`), or compute it inside a function so it is freed when the function returns.',
    bad: 'raw = pd.read_csv("events.csv")\nsummary = raw.groupby("user").size()\n# %% later cells never touch raw\nsummary.plot.bar()',
    good: 'raw = pd.read_csv("events.csv")\nsummary = raw.groupby("user").size()\ndel raw\n# %% later cells\nsummary.plot.bar()'
  },
  check(context) {
    const { dataflow, cells } = context;
    if (readsDynamically(dataflow)) {
      return;
    }
    const uses = lastUses(context);
    const large = largeness(dataflow).final;
    // The last cell that does something: any cell but comments while the
    // notebook is being edited (the user goes on working); in a finished
    // notebook (the CLI), light cells at its end (prints, looks) too.
    const lastPosition = lastMeaningfulPosition(context, isEmpty);
    const lastWorkingPosition =
      context.activeCell === null || context.activeCell === undefined
        ? lastMeaningfulPosition(context, isLight)
        : lastPosition;
    const lastReset = lastResetPosition(dataflow);
    for (const [name, use] of uses) {
      const size = context.live?.sizes.get(name);
      const end = size !== undefined ? lastPosition : lastWorkingPosition;
      if (use.deleted || use.lastPosition >= end) {
        continue;
      }
      // `%reset -f` after the last use unbinds it; an alias or a view of
      // it elsewhere keeps its memory alive: `del` would free nothing.
      if (lastReset > use.lastPosition || isShared(dataflow, name, cells)) {
        continue;
      }
      if (
        dataflow.functionReads.has(name) ||
        !VALUE_KINDS.has(use.binding.kind)
      ) {
        continue;
      }
      const big =
        size !== undefined ? size >= context.thresholdBytes : large.has(name);
      if (!big || (size === undefined && name.startsWith('_'))) {
        continue;
      }
      // Without a kernel size the report is the same as long as the use
      // is (kept between runs): the same report object is reported again.
      const report =
        size !== undefined
          ? deadReport(cells, name, use, size, dataflow)
          : (use.report ??= deadReport(cells, name, use, undefined, dataflow));
      context.report(use.bindingCell, report);
    }
  }
};

/** The report on a dead `name`, with its kernel size when known. */
function deadReport(
  cells: readonly IParsedCell[],
  name: string,
  use: ILastUse,
  size: number | undefined,
  dataflow: INotebookDataflow
): IReport {
  const cell = cellByIndex(cells, use.cell);
  return {
    ...use.binding.range,
    message: `\`${name}\` is not used after cell ${use.cell + 1}; \`del ${name}\` ${frees(use.binding, size, dataflow)}.`,
    fix: cell ? delFix(cell, use.statement, name) : null,
    action: { kind: 'delete', name }
  };
}

/**
 * What deleting the name gives back, as precisely as known: the kernel's
 * deep size, the literal allocation's size, the size of the file it was
 * read from, or just "its memory".
 */
function frees(
  binding: IBinding,
  size: number | undefined,
  dataflow: INotebookDataflow
): string {
  if (size !== undefined) {
    return `frees ${formatBytes(size)} (its size in the kernel)`;
  }
  const hint = sizeHint(binding.value, dataflow.fileSize);
  if (hint?.basis === 'allocation') {
    return `frees ≈ ${formatBytes(hint.bytes)}`;
  }
  if (hint?.basis === 'file') {
    return `frees what was read from a ${formatBytes(hint.bytes)} file (in memory often several times that)`;
  }
  return 'frees its memory';
}

/** The position of the last cell that runs `%reset -f`, or -1. */
function lastResetPosition(dataflow: INotebookDataflow): number {
  const flows = dataflow.cells;
  let position = flows.length - 1;
  while (position >= 0 && !flows[position].reset) {
    position--;
  }
  return position;
}

/** For each name that may be reported: its last binding and last use. */
function lastUses(context: INotebookRuleContext): Map<string, ILastUse> {
  // Only names whose last value is large (or big in the kernel) can be
  // reported: follow those alone.
  const candidates = new Set<string>();
  for (const name of largeness(context.dataflow).final) {
    if (!name.startsWith('\0')) {
      candidates.add(name);
    }
  }
  context.live?.sizes.forEach((size, name) => {
    if (size >= context.thresholdBytes) {
      candidates.add(name);
    }
  });
  const uses = new Map<string, ILastUse>();
  for (const name of candidates) {
    const use = lastUseOf(context.dataflow, name, context.cells);
    if (use) {
      uses.set(name, use);
    }
  }
  return uses;
}

/** A name's last binding and last use in notebook order (kept between runs). */
const lastUseOf = perName(computeLastUse);

function computeLastUse(
  dataflow: INotebookDataflow,
  name: string,
  positions: readonly number[]
): ILastUse | null {
  let use = null as ILastUse | null;
  for (const position of positions) {
    const flow = dataflow.cells[position];
    const group = nameGroups(flow).get(name)!;
    for (const binding of group.defs) {
      const previous: ILastUse | null = use;
      // `x += ...` keeps the binding that made x (and its size)
      const origin: ILastUse | null =
        binding.kind === 'augmented' ? previous : null;
      use = {
        binding: origin ? origin.binding : binding,
        bindingCell: origin ? origin.bindingCell : flow.cell,
        lastPosition: position,
        statement: later(previous, flow.cell, binding.statement),
        cell: flow.cell,
        deleted: false
      };
    }
    if (use && group.refs.length > 0) {
      use.lastPosition = position;
      use.statement = later(use, flow.cell, lastRead(group));
      use.cell = flow.cell;
    }
    if (use && group.deletes.length > 0) {
      use.deleted = true;
    }
  }
  return use;
}

/**
 * The statement of a group's reads that ends last (the last of them on a
 * tie): what applying {@link later} read by read ends with.
 */
function lastRead(group: INameGroup): SyntaxNode {
  let statement = lastReads.get(group);
  if (!statement) {
    let end = -1;
    for (const ref of group.refs) {
      const refEnd = ref.statement.endIndex;
      if (refEnd >= end) {
        end = refEnd;
        statement = ref.statement;
      }
    }
    lastReads.set(group, statement!);
  }
  return statement!;
}

const lastReads = new WeakMap<INameGroup, SyntaxNode>();

/** The later of a use's statement and `statement` in cell `cell`. */
function later(
  use: ILastUse | null,
  cell: number,
  statement: SyntaxNode
): SyntaxNode {
  if (use && use.cell === cell && use.statement.endIndex > statement.endIndex) {
    return use.statement;
  }
  return statement;
}

/** True when some cell reads `eval`, `exec`, `globals`... */
function readsDynamically(dataflow: INotebookDataflow): boolean {
  const positions = namePositions(dataflow);
  for (const name of DYNAMIC) {
    for (const position of positions.get(name) ?? []) {
      if (nameGroups(dataflow.cells[position]).get(name)!.refs.length > 0) {
        return true;
      }
    }
  }
  return false;
}

/**
 * Insert `del name` on a new line after `statement`; null when that would
 * change what the cell displays (the statement is its displayed result).
 */
function delFix(
  cell: IParsedCell,
  statement: SyntaxNode,
  name: string
): IFix | null {
  const at = delPosition(cell, statement);
  return (
    at && {
      description: `Insert \`del ${name}\` after its last use`,
      edits: [insertAt(cell.index, at.line, at.column, `\ndel ${name}`)]
    }
  );
}

/** Where {@link delFix} inserts after `statement` (cached per statement). */
const delPositions = new WeakMap<
  SyntaxNode,
  { line: number; column: number } | null
>();

function delPosition(
  cell: IParsedCell,
  statement: SyntaxNode
): { line: number; column: number } | null {
  let at = delPositions.get(statement);
  if (at === undefined) {
    at = computeDelPosition(cell, statement);
    delPositions.set(statement, at);
  }
  return at;
}

function computeDelPosition(
  cell: IParsedCell,
  statement: SyntaxNode
): { line: number; column: number } | null {
  const top = namedChildren(cell.root).filter(n => n.type !== 'comment');
  const lastTop = top[top.length - 1];
  if (
    lastTop?.id === statement.id &&
    statement.type === 'expression_statement' &&
    !/assignment$/.test(statement.namedChild(0)?.type ?? '') &&
    statement.nextSibling?.type !== ';'
  ) {
    return null;
  }
  const line = statement.endPosition.row;
  const text = cell.masked.split('\n')[line] ?? '';
  const rest = text.slice(statement.endPosition.column);
  const column = /^\s*(#.*)?\r?$/.test(rest)
    ? text.replace(/\r$/, '').length
    : statement.endPosition.column;
  return { line, column };
}

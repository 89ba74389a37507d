/**
 * A notebook's memlens as the features see it (the INotebookMemlens
 * interface of tokens.ts), without JupyterLab: live facts, findings and
 * kernel actions are plain fields and jest mocks that tests set.
 */
import { Signal } from '@lumino/signaling';
import type { ICellFinding } from '../../analyzer/types';
import type {
  Explanation,
  Postmortem,
  Snapshot,
  Variable
} from '../../kernel/protocol';
import type { INotebookMemlens } from '../../tokens';

/** A variable row as the helper sends it; `overrides` win. */
export function variable(
  name: string,
  sizeBytes: number | null,
  overrides: Partial<Variable> = {}
): Variable {
  return {
    name,
    type: 'numpy.ndarray',
    size_bytes: sizeBytes,
    size_exact: true,
    shape: [10],
    len: 10,
    dtype: 'float64',
    held_by: [],
    ...overrides
  } as Variable;
}

/** A snapshot of `variables` with process and gc facts. */
export function snapshot(
  variables: Variable[],
  overrides: Partial<Snapshot> = {}
): Snapshot {
  return {
    elapsed_ms: 1,
    budget_ms: 200,
    complete: true,
    variables,
    total_bytes: variables.reduce((sum, v) => sum + (v.size_bytes ?? 0), 0),
    gc: {
      enabled: true,
      count: [1, 2, 3],
      threshold: [700, 10, 10],
      stats: [
        { collections: 4, collected: 5, uncollectable: 0 },
        { collections: 1, collected: 0, uncollectable: 0 },
        { collections: 0, collected: 0, uncollectable: 0 }
      ]
    },
    process: {
      rss_bytes: 295.4 * 2 ** 20,
      peak_rss_bytes: 310 * 2 ** 20,
      uss_bytes: 280 * 2 ** 20
    },
    ...overrides
  } as Snapshot;
}

/** The fake's parts that tests change or inspect. */
export interface IFakeMemlens {
  memlens: INotebookMemlens;
  live: {
    snapshot: Snapshot | null;
    explanation: Explanation | null;
    free: jest.Mock;
    act: jest.Mock;
    refresh: jest.Mock;
  };
  analysis: { findings: ICellFinding[]; error: string | null };
  guard: {
    postmortem: Postmortem | null;
    changed: Signal<unknown, void>;
    dismissPostmortem: jest.Mock;
  };
}

/** A fake notebook memlens showing `shown` (null: no snapshot yet). */
export function fakeMemlens(shown: Snapshot | null): IFakeMemlens {
  const live = {
    snapshot: shown,
    rssBytes: shown?.process?.rss_bytes ?? null,
    explanation: null as Explanation | null,
    limit: null,
    timeline: [],
    state: 'ready',
    helper: { version: '0.1.0', injected: false },
    stateMessage: '',
    busy: false,
    error: null,
    changed: new Signal<unknown, void>({}),
    visible: true,
    refresh: jest.fn(async () => undefined),
    cellExecuted: jest.fn(),
    dataframe: jest.fn(),
    free: jest.fn(),
    act: jest.fn()
  };
  const analysis = {
    findings: [] as ICellFinding[],
    error: null as string | null,
    changed: new Signal<unknown, void>({}),
    get cells() {
      return new Map(
        analysis.findings.map(finding => [finding.cellId, [finding]])
      );
    },
    findingsOf: (cellId: string) =>
      analysis.findings.filter(finding => finding.cellId === cellId),
    analyzedSource: () => undefined,
    analyze: jest.fn(async () => undefined)
  };
  const guard = {
    postmortem: null as Postmortem | null,
    level: null as number | null,
    error: null,
    tripped: new Signal<unknown, unknown>({}),
    postmortemFound: new Signal<unknown, unknown>({}),
    changed: new Signal<unknown, void>({}),
    dismissPostmortem: jest.fn(() => {
      guard.postmortem = null;
    }),
    apply: jest.fn(async () => undefined)
  };
  const memlens = {
    panel: { content: { widgets: [], activeCellIndex: 0 } },
    kernel: { kernelBusy: false, reconnect: jest.fn() },
    live,
    guard,
    analysis,
    profiles: {
      profiles: [],
      armed: new Set<string>(),
      isProfiledRun: () => false,
      get: () => null
    },
    get findings() {
      return { static: analysis.findings, live: [] };
    },
    changed: new Signal<unknown, void>({}),
    isDisposed: false,
    dispose: () => undefined
  } as unknown as INotebookMemlens;
  return { memlens, live, analysis, guard };
}

/**
 * The live rules (LV…): findings the kernel helper computes from facts of the
 * running kernel. Their checks live in the helper (python-kernel-helper/
 * memlens_kernel/findings/); this module holds their titles and user
 * documentation so that the panel and the CLI (`memlens rule LV101`) show the
 * same text as for the static rules.
 */
import type { IRuleInfo } from '../types';
import { ALL_RULES } from './';
import { BUDGET_RULES } from './budget-rules';

/** Every live rule, sorted by id. */
export const LIVE_RULES: readonly IRuleInfo[] = [
  {
    id: 'LV101',
    name: 'large-object',
    title: 'Large object in the namespace',
    severity: 'warning',
    docs: {
      why: 'A name in the notebook namespace keeps its object, and everything the object references, alive for as long as the kernel runs. One forgotten intermediate of a few hundred MiB is often what pushes a kernel over its limit.',
      whatToDo:
        'If you no longer need it, `del name` (or **free** in the panel, which also clears `Out[n]` references to the same object). If you still need it, look at its dtypes (LV103) or keep only the columns and rows you use.',
      bad: 'raw = pd.read_csv("events.csv")      # 1.2 GiB\nclean = raw.dropna()\n# raw is never used again',
      good: 'raw = pd.read_csv("events.csv")\nclean = raw.dropna()\ndel raw'
    }
  },
  {
    id: 'LV102',
    name: 'hidden-reference',
    title: 'Large object kept alive by a hidden reference',
    severity: 'warning',
    docs: {
      why: 'IPython keeps every displayed result in `Out[n]`, `_n`, `_`, `__` and `___`, and the last exception keeps the frames (and their local variables) of its traceback. `del x` then frees nothing: the object stays alive through a name you never wrote.',
      whatToDo:
        'Use **Clear output cache** or **Clear last error** in the panel, or `del` the alias it names. To show a large result without caching it, end the cell with `display(df)` instead of a bare `df`.',
      bad: 'df = load()\ndf            # Out[4] now holds the frame\ndel df        # frees nothing',
      good: 'df = load()\ndisplay(df)   # shown, not cached in Out\ndel df        # frees the frame'
    }
  },
  {
    id: 'LV103',
    name: 'dataframe-dtypes',
    title: 'DataFrame columns can use smaller dtypes',
    severity: 'info',
    docs: {
      why: 'pandas reads integers as int64, floats as float64 and text as object or string columns. Integers that fit in a narrower type, floats that hold only whole numbers and text with few distinct values take several times the memory they need.',
      whatToDo:
        'Apply the suggested `astype` mapping (**Insert fix cell** inserts the exact code; memlens never changes your data itself), or pass the same `dtype=` to the `read_*` call so the frame is small from the start.',
      bad: 'df = pd.read_csv("trips.csv")   # passenger_count int64, vendor object',
      good: 'df = pd.read_csv("trips.csv", dtype={"passenger_count": "int8", "vendor": "category"})'
    }
  },
  {
    id: 'LV104',
    name: 'sparse-candidate',
    title: 'Large array that is mostly zeros',
    severity: 'info',
    docs: {
      why: 'A dense numpy array stores every element, zero or not. An array of at least 10 MiB in which at most 10% of the elements are non-zero takes far less memory in a sparse format, which stores only the non-zero values and their positions.',
      whatToDo:
        'Convert it with `scipy.sparse.csr_matrix(a)` (or build it sparse from the start with `coo_matrix`/`lil_matrix`) when the code that uses it accepts sparse matrices.',
      bad: 'counts = np.zeros((50_000, 20_000))\nfor i, j in pairs:\n    counts[i, j] += 1',
      good: 'from scipy.sparse import coo_matrix\ncounts = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(50_000, 20_000)).tocsr()'
    }
  },
  {
    id: 'LV105',
    name: 'uncollectable',
    title: 'Objects in reference cycles or uncollectable garbage',
    severity: 'warning',
    docs: {
      why: 'Objects that reference each other in a cycle are freed only by the cyclic garbage collector, not when the last name goes away; objects in `gc.garbage` are never freed at all. Memory held by cycles grows until a collection runs.',
      whatToDo:
        'Break the back-reference with `weakref.ref`/`weakref.proxy` (see ML302), or clear the cycle explicitly. **Collect** in the panel shows how many objects and bytes a collection frees.',
      bad: 'class Node:\n    def add(self, child):\n        self.children.append(child)\n        child.parent = self',
      good: 'import weakref\n\nclass Node:\n    def add(self, child):\n        self.children.append(child)\n        child.parent = weakref.ref(self)'
    }
  },
  {
    id: 'LV106',
    name: 'figure-leak',
    title: 'Many open matplotlib figures',
    severity: 'warning',
    docs: {
      why: 'pyplot keeps every figure it created in its registry, with its canvas and data, until the figure is closed. Outside the inline backend, or when figures are created and only saved, they pile up.',
      whatToDo:
        'Close figures you no longer show: `plt.close(fig)` after `savefig`, or `plt.close("all")` (**Close figures** in the panel).',
      bad: 'for name, group in df.groupby("site"):\n    fig, ax = plt.subplots()\n    group.plot(ax=ax)\n    fig.savefig(f"{name}.png")',
      good: 'for name, group in df.groupby("site"):\n    fig, ax = plt.subplots()\n    group.plot(ax=ax)\n    fig.savefig(f"{name}.png")\n    plt.close(fig)'
    }
  },
  {
    id: 'LV107',
    name: 'many-instances',
    title: 'Many instances of a class without __slots__',
    severity: 'info',
    docs: {
      why: 'Every instance of an ordinary class carries its own attribute dictionary. With 100,000 or more live instances those dictionaries dominate; `__slots__` stores the attributes in fixed slots instead.',
      whatToDo:
        'Declare `__slots__` with the attribute names, or use `@dataclass(slots=True)`. The finding shows the estimated saving.',
      bad: 'class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y',
      good: 'class Point:\n    __slots__ = ("x", "y")\n\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y'
    }
  },
  {
    id: 'LV108',
    name: 'duplicate-data',
    title: 'The same large data held twice',
    severity: 'info',
    docs: {
      why: 'Two names hold equal copies of the same large data (same type, shape, dtype and content) that are not the same object, so the memory is paid twice.',
      whatToDo:
        'Keep one copy: `del` the other, or bind the second name to the same object (`b = a`) when neither is changed in place.',
      bad: 'features = df[cols].to_numpy()\nX = df[cols].to_numpy()   # equal, separate copy',
      good: 'X = df[cols].to_numpy()\nfeatures = X'
    }
  },
  {
    id: 'LV109',
    name: 'growing-cell',
    title: 'A cell that grows memory on every run',
    severity: 'warning',
    docs: {
      why: 'When re-running the same cell leaves the process bigger each time, something keeps every run’s result alive: a global list that is appended to, a cache, or data re-read into new names.',
      whatToDo:
        'Make the cell idempotent: rebuild the container instead of appending to a global, bound caches, and `del` what the previous run left. The finding names the cell and which variables grew.',
      bad: 'results.append(model.predict(X))   # run this cell 3 times',
      good: 'results = [model.predict(X)]'
    }
  },
  {
    id: 'LV110',
    name: 'cluster-memory-pressure',
    title: 'A dask worker near its memory limit or spilling to disk',
    severity: 'warning',
    docs: {
      why: 'A dask worker that holds 80% of its memory limit or more pauses new work, spills data to disk (slow) and is restarted by its nanny when it reaches the limit — the task and the data it held are lost. Data already spilled to disk is slow to read back. Workers without a memory limit are not flagged.',
      whatToDo:
        'Release persisted collections you no longer need (`del` them, or `client.cancel(...)`), reduce before `.persist()`, use more partitions, or give the workers more memory.',
      bad: 'big = ddf.persist()            # the whole dataset on the workers\nsummary = big.groupby("k").x.mean().compute()',
      good: 'summary = ddf.groupby("k").x.mean().compute()   # nothing kept on the workers'
    }
  },
  {
    id: 'LV111',
    name: 'near-limit',
    title: 'Kernel memory near its limit',
    severity: 'warning',
    docs: {
      why: "A kernel that reaches the memory limit it lives under (its container's or cgroup's limit, a ulimit, or the machine's RAM) is killed by the system without a traceback: every variable is lost and the notebook shows a fresh kernel. Above 80% of the limit one more intermediate (a copy made by a merge, a `.values`, a sort) is often enough. The warning becomes an error at 90%. The finding names the largest holders: variables, or hidden ones such as `Out[n]` or the last traceback.",
      whatToDo:
        "Free what you no longer need before going on: `del` the largest variables (or **free** in the panel), clear the output cache and the last error if they hold large objects, then **Release to OS**. Open the panel's memory explanation to see whether variables, hidden holders or the allocator keep the memory, and turn on the guard (memlens settings) to interrupt a cell before it kills the kernel.",
      bad: 'df = pd.read_parquet(\"events.parquet\")     # 19 GiB of a 24 GiB limit\nmerged = df.merge(users, on=\"user_id\")     # a second copy: the kernel dies',
      good: 'df = pd.read_parquet(\"events.parquet\", columns=[\"user_id\", \"ts\"])\nmerged = df.merge(users, on=\"user_id\")\ndel df'
    }
  },
  {
    id: 'LV112',
    name: 'native-memory-unseen',
    title: 'Memory held in native code that memlens cannot size',
    severity: 'warning',
    docs: {
      why: 'Some objects keep their data in memory allocated by a C, C++ or Rust library (boosters, codecs, bindings without a sizer); Python sees only a small header, so their size in the panel is a lower bound. When a cell leaves the process at least 100 MB bigger than the variables it created explain, and one of those variables is such an object, it most likely holds the difference.',
      whatToDo:
        'Treat the size as "at least". Check the library for a way to free or shrink the object (`del` it when done, free the booster or index, save it to disk and reload only when needed), and measure with the process memory (the timeline) rather than the variable size.',
      bad: 'booster = lgb.train(params, train_set)   # the trees live in C++: ~1.2 GiB unseen',
      good: 'booster = lgb.train(params, train_set)\nbooster.save_model("model.txt")\ndel booster, train_set   # free the native memory when done'
    }
  }
];

/**
 * Every rule: the static (ML) rules, the live (LV) rules, then the budget
 * (MB) rules of `memlens lint --execute`, by id.
 */
export const ALL_RULE_INFOS: readonly IRuleInfo[] = [
  ...ALL_RULES,
  ...LIVE_RULES,
  ...BUDGET_RULES
];

/** Title and documentation of any rule (ML, LV or MB, case-insensitive), or undefined. */
export function findRuleInfo(id: string): IRuleInfo | undefined {
  const wanted = id.toUpperCase();
  return ALL_RULE_INFOS.find(rule => rule.id === wanted);
}

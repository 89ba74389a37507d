"""Benchmark of memlens_kernel.inspect_namespace (issue 4).

A namespace of 10,000 names holding ~2 GB: a 1e7-row DataFrame with a string
column, big lists and dicts, arrays and views, an object-string DataFrame and
~10k small names. Reports, from one run:

- inspect_namespace time (p50 / min / max over several runs, complete snapshots);
- each big object's size against measured truth (tracemalloc at construction
  for Python objects, the libraries' exact buffer sizes for arrays/frames), and
  the same for pympler.asizeof and sys.getsizeof;
- pympler.asizeof over the whole namespace (one pass) vs memlens;
- the per-cell hook overhead (pre_run_cell + post_run_cell).

Run: .venv/bin/python bench/kernel/bench_inspect.py [--json out.json]
Peak RSS ~3 GB; a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
import tracemalloc

import memlens_kernel as mk
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from memlens_kernel import facts
from memlens_kernel.features.timeline import Timeline

RUNS = 7


def traced(factory):
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    obj = factory()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return obj, after - before


def build():
    """(namespace, {name: truth_bytes}, {name: how the truth was measured})."""
    ns, truth, how = {}, {}, {}
    rng = np.random.default_rng(0)
    n = 10_000_000
    strings = pc.cast(pa.array(np.arange(n) % 100_003), pa.string())
    df = pd.DataFrame(
        {"id": np.arange(n), "value": rng.random(n), "name": pd.Series(strings, dtype="str")}
    )
    ns["df"] = df
    # exact for numeric and Arrow-backed columns (Arrow buffer sizes)
    truth["df"] = int(df.memory_usage(deep=True).sum())
    how["df"] = "DataFrame.memory_usage(deep=True): numpy nbytes + Arrow buffers"
    for i in range(10):
        ns[f"arr{i}"] = rng.random(12_500_000)  # 100 MB each
        truth[f"arr{i}"] = ns[f"arr{i}"].nbytes
        how[f"arr{i}"] = "ndarray.nbytes"
    ns["view"] = ns["arr0"][::2]
    truth["view"] = 0
    how["view"] = "view of arr0 (owns nothing)"
    python_objects = {
        "floats": lambda: [float(i) for i in range(2_000_000)],
        "ints": lambda: list(range(1_000, 2_001_000)),
        "strings": lambda: [f"item-{i}-" * (1 + i % 5) for i in range(1_000_000)],
        "records": lambda: {f"key{i}": [i * 1.5, i * 2.5, str(i)] for i in range(200_000)},
        "obj_df": lambda: pd.DataFrame(
            {"s": pd.Series([f"row {i}" for i in range(1_000_000)], dtype=object)}
        ),
    }
    for name, factory in python_objects.items():
        ns[name], truth[name] = traced(factory)
        how[name] = "tracemalloc at construction"
    for i in range(10_000 - len(ns)):
        kind = i % 6
        ns[f"v{i}"] = (
            i,
            float(i) * 0.5,
            f"name {i}",
            [i, i + 1, i + 2],
            {"k": i, "j": [i]},
            np.arange(8) + i,
        )[kind]
    return ns, truth, how


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--skip-pympler-total", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    ns, truth, how = build()
    print(f"built namespace: {len(ns)} names in {time.perf_counter() - t0:.1f}s", flush=True)

    times, cpu, snap = [], [], None
    for _ in range(RUNS):
        c0 = time.process_time()
        snap, dt = timed(mk.inspect_namespace, ns, budget_ms=5000)
        cpu.append((time.process_time() - c0) * 1000)
        times.append(dt * 1000)
    variables = {v["name"]: v for v in snap["variables"]}
    print(
        f"inspect_namespace p50 {statistics.median(times):.1f} ms wall, "
        f"{statistics.median(cpu):.1f} ms CPU (wall min {min(times):.1f}, max {max(times):.1f});"
        f" complete={snap['complete']}; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    nofind = [
        timed(mk.inspect_namespace, ns, budget_ms=5000, findings=False)[1] * 1000 for _ in range(3)
    ]
    print(f"  without findings: p50 {statistics.median(nofind):.1f} ms wall", flush=True)
    # Back-to-back snapshots reuse a USS reading for a moment; after a cell the
    # first snapshot reads /proc/self/smaps_rollup afresh. Measure that case too.
    fresh_uss, fresh_uss_cpu = [], []
    for _ in range(RUNS):
        facts.expire_uss()
        c0 = time.process_time()
        fresh_uss.append(timed(mk.inspect_namespace, ns, budget_ms=5000)[1] * 1000)
        fresh_uss_cpu.append((time.process_time() - c0) * 1000)
    t_uss = min(timed(facts.uss_bytes, max_age_s=0)[1] * 1000 for _ in range(5))
    print(
        f"  with a fresh USS read each time (as after a cell): p50 "
        f"{statistics.median(fresh_uss):.1f} ms wall, {statistics.median(fresh_uss_cpu):.1f} ms CPU"
        f" (one smaps_rollup read: {t_uss:.1f} ms)",
        flush=True,
    )
    tight, _ = timed(mk.inspect_namespace, ns)  # default 200 ms budget

    from pympler import asizeof

    rows = []
    for name, true in truth.items():
        v = variables[name]
        pym, pym_t = timed(asizeof.asizeof, ns[name])
        getsize = sys.getsizeof(ns[name])
        rows.append(
            {
                "name": name,
                "type": v["type"],
                "truth": true,
                "truth_how": how[name],
                "memlens": v["size_bytes"],
                "memlens_exact": v["size_exact"],
                "memlens_error": v["size_error"],
                "pympler": pym,
                "pympler_s": round(pym_t, 3),
                "getsizeof": getsize,
            }
        )
        print(
            f"{name:8s} truth {true / 1e6:9.1f} MB  memlens {v['size_bytes'] / 1e6:9.1f} "
            f"(±{v['size_error']:.3f})  pympler {pym / 1e6:9.1f} ({pym_t:.2f}s)  "
            f"getsizeof {getsize / 1e6:9.1f}",
            flush=True,
        )

    pym_total_t = None
    if not args.skip_pympler_total:
        _, pym_total_t = timed(asizeof.asizesof, *ns.values())
        print(f"pympler.asizesof over all {len(ns)} values: {pym_total_t:.1f}s", flush=True)

    tl = Timeline()

    class Info:
        silent = False
        store_history = True
        cell_id = None

    costs = []
    for _ in range(1000):
        c0 = time.perf_counter()
        tl.pre_run_cell(Info)
        tl.post_run_cell(None)
        costs.append((time.perf_counter() - c0) * 1e6)
    hook_us = statistics.median(costs)
    print(f"per-cell hook overhead p50 {hook_us:.0f} µs (peak method {tl.peak_method})")

    result = {
        "names": len(ns),
        "runs_ms": [round(t, 1) for t in times],
        "p50_ms": round(statistics.median(times), 1),
        "p50_cpu_ms": round(statistics.median(cpu), 1),
        "p50_no_findings_ms": round(statistics.median(nofind), 1),
        "p50_fresh_uss_ms": round(statistics.median(fresh_uss), 1),
        "p50_fresh_uss_cpu_ms": round(statistics.median(fresh_uss_cpu), 1),
        "uss_read_ms": round(t_uss, 2),
        "load_average": os.getloadavg()[0],
        "complete": snap["complete"],
        "default_budget_run": {"elapsed_ms": tight["elapsed_ms"], "complete": tight["complete"]},
        "total_bytes": snap["total_bytes"],
        "objects": rows,
        "pympler_total_s": pym_total_t,
        "hook_p50_us": round(hook_us, 1),
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()

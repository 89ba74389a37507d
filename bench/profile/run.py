"""Per-line profile cost, through a real kernel (jupyter_client).

    PYTHONPATH=python-kernel-helper python bench/profile/run.py [--runs N]

Measures the time taken *inside the cell*, as a user runs it, for the four
cells of issue 24, in one kernel and one run, as wall time and as the
kernel process's CPU time (which other load on the machine hardly changes):

- plain: the cell compiled and run at module level in the user namespace;
- exact: ``%%memlens_profile`` (from the session's start to the end of the
  cell's last statement), and "exact whole": the whole magic (the body, reading the traces and
  attributing them, the table), what the user waits for;
- sampled / sampled whole: ``%%memlens_profile --sampled``, the same two ways;
- tracemalloc alone: ``tracemalloc.start()`` (1 frame) around the plain run;
- memory_profiler line-by-line: its ``LineProfiler`` (what ``%mprun`` runs)
  on the cell's code, written to a file as ``%mprun`` needs;
- memory_profiler ``%%memit -r 1``: the whole magic (it polls from a child
  process; no per-line numbers).

Also the cost of the hooks when nothing is armed (in-process) and a tiny
cell with the extension loaded vs not (execute_request to idle).
"""

from __future__ import annotations

import argparse
import ast
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python-kernel-helper" / "tests"))
from kernel_client import Kernel  # noqa: E402

CELLS = {
    "numpy (5M floats, sort, multiply)": (
        "a = np.random.rand(5_000_000)\nb = np.sort(a)\nc = a * b\n"
    ),
    "pandas (2M-row frame, groupby mean)": (
        "df = pd.DataFrame({'k': np.arange(2_000_000) % 1000,"
        " 'v': np.random.rand(2_000_000)})\n"
        "m = df.groupby('k')['v'].mean()\n"
    ),
    "200,000 small dicts and strings": (
        "rows = [{'i': i, 's': str(i) * 3} for i in range(200_000)]\n"
        "words = [r['s'] + '!' for r in rows]\n"
    ),
    "top-level for loop, 300,000 steps": (
        "acc = []\nfor i in range(300_000):\n    acc.append(i * 2)\n"
    ),
}
MODES = ("plain", "exact", "sampled", "tracemalloc", "mprun", "memit")
# modes that are the magic: also timed whole (what the user waits for)
WHOLE = ("exact", "sampled")
TINY = "x = 1\n"

# Runs in the kernel: ``_bench`` runs a cell one way and returns
# {"in": [wall ms, CPU ms], "whole": [wall ms, CPU ms]}: inside the cell
# (for the magic: from the session's start to the end of the cell's last
# statement) and the whole way (for the magic: also reading and attributing
# the traces, the table). CPU is the kernel process's (all its threads: the
# sampler's too), which the load of other processes on the machine hardly
# changes; wall time is what the user waits for.
KERNEL_SIDE = r"""
import io as _io, contextlib as _cl, os as _os, time as _time, tracemalloc as _tm
import numpy as np, pandas as pd
from memlens_kernel.profiling import marked as _marked
_bench_n = [0]
_bench_body = {}

def _bench_wrap(name):
    original = getattr(_marked.MarkedSession, name)
    def wrapper(self, *args):
        _bench_body[name] = (_time.perf_counter(), _time.process_time())
        return original(self, *args)
    setattr(_marked.MarkedSession, name, wrapper)

_bench_wrap("start")
_bench_wrap("_took")

def _bench_clock():
    return _time.perf_counter(), _time.process_time()

def _bench_since(t0):
    t1 = _bench_clock()
    return [(t1[0] - t0[0]) * 1000, (t1[1] - t0[1]) * 1000]

def _bench(src, mode, tmpdir):
    ip = get_ipython()
    ns = ip.user_ns
    _bench_n[0] += 1
    if mode in ("exact", "sampled"):
        _bench_body.clear()
        with _cl.redirect_stdout(_io.StringIO()):
            t0 = _bench_clock()
            ip.run_cell_magic("memlens_profile", "--sampled" if mode == "sampled" else "", src)
            whole = _bench_since(t0)
        start, took = _bench_body["start"], _bench_body["_took"]
        inside = [(took[0] - start[0]) * 1000, (took[1] - start[1]) * 1000]
        return {"in": inside, "whole": whole}
    if mode == "memit":
        with _cl.redirect_stdout(_io.StringIO()):
            t0 = _bench_clock()
            ip.run_cell_magic("memit", "-r 1", src)
            whole = _bench_since(t0)
        return {"in": whole, "whole": whole}
    path = _os.path.join(tmpdir, "cell%d.py" % _bench_n[0])
    with open(path, "w") as f:
        f.write(src)
    code = compile(src, path, "exec")
    lp = None
    if mode == "tracemalloc":
        _tm.start()
    elif mode == "mprun":
        import memory_profiler
        lp = memory_profiler.LineProfiler(backend="psutil")
        lp.code_map.add(code)
        lp.enable_by_count()
    elif mode != "plain":
        raise ValueError(mode)
    try:
        t0 = _bench_clock()
        exec(code, ns)
        inside = _bench_since(t0)
    finally:
        if mode == "tracemalloc":
            _tm.stop()
        elif lp is not None:
            lp.disable_by_count()
    return {"in": inside, "whole": inside}
"""


def timed(k: Kernel, code: str, cell_id: str) -> float:
    t0 = time.perf_counter()
    k.run_cell(code, cell_id, 300)
    return (time.perf_counter() - t0) * 1000.0


def unarmed_hook_us(runs: int = 100_000) -> float:
    """In-process cost of the profile hooks around a cell when nothing is armed."""
    from types import SimpleNamespace

    from memlens_kernel.profiling import arming

    info = SimpleNamespace(cell_id="c", raw_cell="x = 1")
    result = SimpleNamespace(execution_count=1)
    t0 = time.perf_counter()
    for _ in range(runs):
        arming.pre_run_cell(info, None)
        arming.post_run_cell(result)
    return (time.perf_counter() - t0) / runs * 1e6


def in_cell(k: Kernel, src: str, mode: str, tmpdir: str) -> dict[str, list[float]]:
    """One run: {"in": [wall, cpu], "whole": [wall, cpu]} in ms."""
    k.execute(f"_bench_out = _bench({src!r}, {mode!r}, {tmpdir!r})", timeout=600)
    return ast.literal_eval(k.user_expression("_bench_out"))  # type: ignore[no-any-return]


def ratio_table(title: str, table: list, columns: list[str], pick: Callable[[list], float]) -> None:
    """One markdown table: ``pick`` of the runs per column, × the plain cell's."""
    print(title)
    print("| cell | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for label, row in table:
        plain = pick(row["plain"]) if "plain" in row else None
        cells = []
        for column in columns:
            value = pick(row[column])
            ratio = f" ({value / plain:.1f}×)" if plain and column != "plain" else ""
            cells.append(f"{value:,.0f} ms{ratio}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default=",".join(MODES))
    opts = parser.parse_args()
    modes = opts.modes.split(",")
    columns = [c for mode in modes for c in ([mode, mode + " whole"] if mode in WHOLE else [mode])]
    tmp = Path(tempfile.mkdtemp())
    k = Kernel(tmp / "a")
    table = []
    try:
        tiny_plain = statistics.median(timed(k, TINY, "t") for _ in range(30))
        k.execute("%load_ext memlens_kernel\n%load_ext memory_profiler")
        k.open_comm()
        tiny_hooked = statistics.median(timed(k, TINY, "t") for _ in range(30))
        k.execute(KERNEL_SIDE)
        for label, src in CELLS.items():
            in_cell(k, src, "plain", str(tmp))  # warm up
            # modes take turns within each round, so a change in the
            # machine's load hits them alike; a mode slower than 5 s runs once
            # per column: [(wall, cpu)] of the runs
            runs: dict[str, list[list[float]]] = {column: [] for column in columns}
            for _ in range(opts.runs):
                for mode in modes:
                    if runs[mode] and runs[mode][0][0] > 5000:
                        continue
                    out = in_cell(k, src, mode, str(tmp))
                    runs[mode].append(out["in"])
                    if mode in WHOLE:
                        runs[mode + " whole"].append(out["whole"])
            for column in columns:
                walls = [wall for wall, _ in runs[column]]
                cpus = [cpu for _, cpu in runs[column]]
                low, mid = min(walls), statistics.median(walls)
                print(
                    f"{label:40s} {column:14s} wall {low:9.1f} {mid:9.1f}"
                    f" cpu {statistics.median(cpus):9.1f} ms",
                    file=sys.stderr,
                )
            table.append((label, runs))
    finally:
        k.close()
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} CPUs")
    print(f"profile hooks, nothing armed  {unarmed_hook_us():8.3f} us per cell (in-process)")
    print(f"tiny cell, no extension       {tiny_plain:8.1f} ms")
    print(f"tiny cell, extension, unarmed {tiny_hooked:8.1f} ms")
    print()
    ratio_table(
        "wall time, fastest of the runs (the one the machine's other load hurt least)",
        table,
        columns,
        lambda runs: min(wall for wall, _ in runs),
    )
    ratio_table(
        "wall time, median of the runs",
        table,
        columns,
        lambda runs: statistics.median(wall for wall, _ in runs),
    )
    ratio_table(
        "CPU time of the kernel process, median of the runs",
        table,
        columns,
        lambda runs: statistics.median(cpu for _, cpu in runs),
    )


if __name__ == "__main__":
    main()

"""Benchmark of "memory explained", the guard and the post-mortem (protocol 1.2).

(a) ``explain`` through the comm handler on bench_inspect's namespace of
    10,000 names holding ~1.65 GB, as the panel sends it (default 200 ms
    budget, the comm's session): wall time of the first request and of the
    next ones, and whether each was complete; the same for ``snapshot``.
(b) the watcher's CPU in a real kernel while a cell runs: the kernel
    process's CPU time (``/proc/<pid>/stat``) over a cell that sleeps 5 s,
    with the guard armed far above (a reading every 100 ms) and 50 MB above
    (every 10 ms, the most it reads), with the guard off (a reading every
    250 ms for the post-mortem record), and without the helper.
(c) the per-cell cost of the hooks with the guard off and on: the helper's
    ``pre_run_cell`` + ``post_run_cell`` called 200 times in the kernel
    (median per cell), and the wall time of 100 trivial cells.
(d) the guard on a Python loop growing memory (``b"x" * 100_000`` appended
    to a list), level = resident + 200 MB, three runs: how far past the level
    the reading that interrupted was, and the resident size after the
    interrupt.

Run: .venv/bin/python bench/kernel/bench_memory.py [--json out.json]
(needs python-kernel-helper/requirements-test.txt; ~1 minute, peak RSS ~3 GB)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "python-kernel-helper" / "tests"))

from memlens_kernel.comm.handlers import handle  # noqa: E402
from memlens_kernel.comm.protocol import PROTOCOL_VERSION  # noqa: E402
from memlens_kernel.snapshot.passes import SnapshotSession  # noqa: E402

SLEEP_S = 5.0
# the helper's own cell hooks, timed inside the kernel (median of 200 calls);
# defined by a silent execution (the bench kernel's namespace only)
HOOKS = """
def _bench_hooks():
    import statistics, time
    from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult
    cbs = get_ipython().events.callbacks
    pre = [c for c in cbs["pre_run_cell"] if getattr(c, "_memlens_hook", False)][0]
    post = [c for c in cbs["post_run_cell"] if getattr(c, "_memlens_hook", False)][0]
    info = ExecutionInfo("x = 1", True, False, True, "bench")
    result = ExecutionResult(info)
    times = []
    for _ in range(200):
        t0 = time.perf_counter()
        pre(info)
        post(result)
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times) * 1000, 4)
"""


class Shell:
    """The attributes the helper reads from an IPython shell."""

    def __init__(self, ns: dict[str, Any]) -> None:
        self.user_ns = ns
        self.user_ns_hidden: dict[str, Any] = {}


def explain_run() -> dict[str, Any]:
    """(a)"""
    from bench_inspect import build
    from memlens_kernel import state

    ns, _truth, _how = build()
    state.set_shell(Shell(ns))
    out: dict[str, Any] = {"names": len(ns)}
    for rtype in ("explain", "snapshot"):
        session = SnapshotSession()
        rows: list[dict[str, Any]] = []
        for rid in range(1, 8):
            t0 = time.perf_counter()
            reply = handle({"protocol": PROTOCOL_VERSION, "id": rid, "type": rtype}, session)
            ms = (time.perf_counter() - t0) * 1000
            payload = reply["result"] if rtype == "explain" else reply["snapshot"]
            rows.append({"ms": round(ms, 1), "complete": payload["complete"]})
        done = [i for i, r in enumerate(rows) if r["complete"]]
        out[rtype] = {
            "ms": [r["ms"] for r in rows],
            "first_complete_request": done[0] + 1 if done else None,
        }
        if rtype == "explain":
            out["parts"] = {p["kind"]: p["bytes"] for p in payload["parts"]}
            out["rss_bytes"] = payload["rss_bytes"]
    state.set_shell(None)
    return out


def cpu_seconds(pid: int) -> float:
    """CPU time of every thread of ``pid`` (``schedstat``: ns, not 10 ms ticks)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/schedstat") as f:
            total += int(f.read().split()[0])
    return total / 1e9


def kernel_runs() -> dict[str, Any]:
    """(b) and (c)"""
    from kernel_client import Kernel

    out: dict[str, Any] = {}
    for mode in ("no helper", "guard off", "guard far", "guard near"):
        k = Kernel(Path(tempfile.mkdtemp()))
        try:
            pid = int(k.user_expression("__import__('os').getpid()"))
            if mode != "no helper":
                k.execute("%load_ext memlens_kernel")
                k.open_comm()
                k.request("hello")
                rss = k.request("explain")["result"]["rss_bytes"]
                # far: a reading every 100 ms; near (50 MB above): every 10 ms
                levels = {"guard far": rss + 10**12, "guard near": rss + 50 * 10**6}
                k.request("guard", interrupt_at_bytes=levels.get(mode))
            k.execute("import time")
            cpu = []
            for _ in range(3):
                c0, t0 = cpu_seconds(pid), time.monotonic()
                k.execute(f"time.sleep({SLEEP_S})")
                cpu.append((cpu_seconds(pid) - c0) / (time.monotonic() - t0))
            t0 = time.perf_counter()
            for _ in range(100):
                k.execute("x = 1")
            per_cell = (time.perf_counter() - t0) / 100
            hooks_ms = None
            if mode != "no helper":
                k.execute(HOOKS, silent=True)
                hooks_ms = float(k.user_expression("_bench_hooks()"))
            readings = None
            if mode != "no helper":
                readings = int(
                    k.user_expression(
                        "__import__('memlens_kernel').state.HELPER.memory.watcher.readings"
                    )
                )
            out[mode] = {
                "cpu_share_while_sleeping_cell": round(statistics.median(cpu), 5),
                "trivial_cell_ms": round(per_cell * 1000, 2),
                "hooks_ms_per_cell": hooks_ms,
                "watcher_readings": readings,
            }
        finally:
            k.close()
    return out


def guard_runs(runs: int = 3) -> list[dict[str, Any]]:
    """(d)"""
    from kernel_client import Kernel

    out = []
    k = Kernel(Path(tempfile.mkdtemp()))
    try:
        k.execute("%load_ext memlens_kernel\nn = 100_000")
        k.open_comm()
        k.request("hello")
        for _ in range(runs):
            k.request("release_to_os")
            level = k.request("explain")["result"]["rss_bytes"] + 200 * 10**6
            k.request("guard", interrupt_at_bytes=level)
            k.events.clear()
            t0 = time.monotonic()
            k.execute("grow = []\nwhile True:\n    grow.append(b'x' * n)\n", timeout=120)
            seconds = time.monotonic() - t0
            k.pump(lambda m: False, 0.5)
            event = [e for e in k.events if e.get("event") == "guard"][0]["data"]
            after = k.request("explain")["result"]["rss_bytes"]
            out.append(
                {
                    "trip_mb_past_level": round((event["rss_bytes"] - level) / 1e6, 1),
                    "after_mb_past_level": round((after - level) / 1e6, 1),
                    "cell_s": round(seconds, 2),
                    "top": event["top"][:1],
                }
            )
            k.request("guard", interrupt_at_bytes=None)
            k.execute("del grow")
    finally:
        k.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--skip-explain", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {"load": os.getloadavg()}
    if not args.skip_explain:
        results["explain"] = explain_run()
    results["kernel"] = kernel_runs()
    results["guard"] = guard_runs()
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)


if __name__ == "__main__":
    main()

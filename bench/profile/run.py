"""Per-line profile overhead, through a real kernel (jupyter_client).

    PYTHONPATH=python-kernel-helper python bench/profile/run.py

Measures, as the user sees it (execute_request to idle, median of N runs):
an allocation-heavy cell unprofiled vs profiled (armed by the ``profile``
request), and a tiny cell with the extension loaded vs not loaded (the cost
of the hooks when nothing is armed).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python-kernel-helper" / "tests"))
from kernel_client import Kernel  # noqa: E402

# Allocation-heavy cells of different kinds: tracemalloc's cost is per
# allocated block, so a million small objects cost far more than a few
# large arrays of the same total.
HEAVY = {
    "small objects (200k dicts + strings)": (
        "rows = [{'i': i, 's': str(i) * 3, 'f': float(i)} for i in range(200_000)]\n"
        "words = ' '.join(r['s'] for r in rows).split()\n"
        "del rows\n"
    ),
    "numpy (5M floats, temporaries)": (
        "a = np.random.rand(5_000_000)\n"
        "b = a * 2 + a\n"
        "t = (a * b).sum()\n"
        "c = np.concatenate([a, b])\n"
    ),
    "pandas (2M rows: build, column, groupby, astype)": (
        "df = pd.DataFrame({'x': np.arange(2_000_000), 'y': np.random.rand(2_000_000)})\n"
        "df['z'] = df.x * 2\n"
        "g = df.groupby(df.x % 100).y.mean()\n"
        "s = df.astype({'x': 'int32'})\n"
    ),
    "top-level loop (300k iterations)": (
        "acc = []\nfor i in range(300_000):\n    acc.append(i * 2)\n"
    ),
}
TINY = "x = 1\n"
RUNS = 7


def timed(k: Kernel, code: str, cell_id: str, arm: bool = False) -> float:
    if arm:
        assert k.request("profile", cell_id=cell_id)["ok"]
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


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    k = Kernel(tmp / "a")
    try:
        tiny_plain = statistics.median(timed(k, TINY, "t") for _ in range(30))
        k.execute("%load_ext memlens_kernel")
        k.open_comm()
        tiny_hooked = statistics.median(timed(k, TINY, "t") for _ in range(30))
        k.execute("import numpy as np, pandas as pd")
        results = []
        for n, (label, code) in enumerate(HEAVY.items()):
            cell = f"h{n}"
            timed(k, code, cell)
            plain = statistics.median(timed(k, code, cell) for _ in range(RUNS))
            prof = statistics.median(timed(k, code, cell, arm=True) for _ in range(RUNS))
            results.append((label, plain, prof))
    finally:
        k.close()
    print(f"profile hooks, nothing armed  {unarmed_hook_us():8.3f} us per cell (in-process)")
    print(f"tiny cell, no extension       {tiny_plain:8.1f} ms")
    print(f"tiny cell, extension, unarmed {tiny_hooked:8.1f} ms")
    for label, plain, prof in results:
        print(f"{label:50s} {plain:8.1f} ms -> {prof:8.1f} ms profiled ({prof / plain:.2f}x)")


if __name__ == "__main__":
    main()

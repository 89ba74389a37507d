#!/usr/bin/env python3
"""Overhead of ``memlens lint --execute`` over ``jupyter nbconvert --execute``.

    python bench/execute/run.py [--rounds 3] [--python PYTHON]

Writes two notebooks to a temporary folder — a small analysis (numpy and
pandas, ~2 s of work) and a trivial one (kernel start-up only, the worst
case) — and runs each, interleaved, ``--rounds`` times as a user would:

- ``jupyter nbconvert --execute --to notebook --output <tmp>`` (the baseline:
  the same kernel machinery, nbclient, writing the executed copy);
- ``node lib/cli.js lint --execute --format json`` (static analysis, the run
  with the helper loaded, per-cell memory, the final snapshot).

Prints, for wall time and CPU time (the kernel's included), the median and
the minimum of each and their ratios: on a shared machine the minimum is the
least disturbed run and CPU time the least noisy measure. Needs ``npm run
build:cli`` and a Python with Jupyter, numpy, pandas and memlens-kernel
(``make build`` gives all of it in .venv).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ANALYSIS = [
    "import numpy as np\nimport pandas as pd",
    "rng = np.random.default_rng(0)\n"
    "frame = pd.DataFrame({'user': rng.integers(0, 10_000, 2_000_000),\n"
    "                      'amount': rng.random(2_000_000)})",
    "by_user = frame.groupby('user')['amount'].agg(['sum', 'mean', 'count'])",
    "matrix = rng.random((2_000, 2_000))\nproduct = matrix @ matrix.T",
    "top = by_user.sort_values('sum', ascending=False).head(10)\nprint(top)",
    "words = ' '.join(str(i) for i in range(200_000)).split()\nprint(len(words))",
]
TRIVIAL = ["x = 1", "print(x + 1)"]


def notebook(cells: list[str]) -> dict[str, object]:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        },
        "cells": [
            {
                "cell_type": "code",
                "id": f"c{i}",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": source,
            }
            for i, source in enumerate(cells)
        ],
    }


def timed(argv: list[str], env: dict[str, str], ok: set) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the command and the
    processes it waited for: the kernel included) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    bindir = str(Path(args.python).parent)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    env["MEMLENS_PYTHON"] = args.python
    cli = str(ROOT / "lib" / "cli.js")
    with tempfile.TemporaryDirectory(prefix="memlens-bench-exec-") as tmp:
        for name, cells in (("analysis", ANALYSIS), ("trivial", TRIVIAL)):
            path = Path(tmp) / f"{name}.ipynb"
            path.write_text(json.dumps(notebook(cells)))
            out = Path(tmp) / f"{name}.out.ipynb"
            times: dict[str, list[tuple[float, float]]] = {"nbconvert": [], "memlens": []}
            for _ in range(args.rounds):
                times["nbconvert"].append(
                    timed(
                        [
                            args.python,
                            "-m",
                            "jupyter",
                            "nbconvert",
                            "--execute",
                            "--to",
                            "notebook",
                            "--output",
                            str(out),
                            str(path),
                        ],
                        env,
                        {0},
                    )
                )
                times["memlens"].append(
                    # exit 1: findings are expected (the analysis holds large objects)
                    timed(
                        ["node", cli, "lint", "--execute", "--format", "json", str(path)],
                        env,
                        {0, 1},
                    )
                )
            print(f"{name}: {len(cells)} cells, {args.rounds} rounds interleaved")
            for measure, pick in (("wall", 0), ("cpu", 1)):
                base = [t[pick] for t in times["nbconvert"]]
                ours = [t[pick] for t in times["memlens"]]
                print(
                    f"  {measure:4}  nbconvert --execute median {statistics.median(base):6.2f} s "
                    f"min {min(base):6.2f} s | memlens lint --execute median "
                    f"{statistics.median(ours):6.2f} s min {min(ours):6.2f} s | ratio of medians "
                    f"{statistics.median(ours) / statistics.median(base):4.2f}x, of mins "
                    f"{min(ours) / min(base):4.2f}x"
                )
                print(
                    "        runs: "
                    + ", ".join(f"{t:.2f}" for t in base)
                    + " | "
                    + ", ".join(f"{t:.2f}" for t in ours)
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

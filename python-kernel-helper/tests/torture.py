"""The torture namespace: ~70 names of every kind, ~1.2 GB at ``scale=1``.

A complete pass over it costs about one 200 ms budget: numpy arrays and
views, pandas frames with object strings, big lists, dicts and sets of
Python objects, many class instances, nested containers, and plain scalars
(``str``, ``bytes``, ``int``, ``float``) that cost nothing to size. Used by
tests/test_progressive.py and bench/kernel/bench_progressive.py.
"""

from __future__ import annotations

from typing import Any, Dict


class Point:
    """A plain class, many instances (no ``__slots__``)."""

    def __init__(self, x: float, y: float) -> None:
        self.x = x
        self.y = y


def torture_namespace(scale: float = 1.0) -> Dict[str, Any]:
    """The namespace (plus IPython's ``Out``); ``scale`` shrinks the big buffers."""
    import numpy as np
    import pandas as pd

    def n(count: int) -> int:
        return max(1, int(count * scale))

    ns: Dict[str, Any] = {"Out": {}}
    for i in range(8):  # 8 x 100 MB of float64
        ns[f"arr{i}"] = np.full(n(12_500_000), float(i))
    ns["view0"] = ns["arr0"][::2]
    ns["view1"] = ns["arr1"][10:1000]
    ns["ints32"] = np.arange(n(10_000_000), dtype=np.int32)
    ns["blob"] = b"\x01" * n(200_000_000)
    ns["text"] = "memlens " * n(5_000_000)
    rows = n(300_000)
    ns["df"] = pd.DataFrame(
        {
            "a": np.arange(rows, dtype=np.float64),
            "b": np.arange(rows) % 7,
            "s": [f"row {i}" for i in range(rows)],
        }
    )
    ns["df2"] = pd.DataFrame({"x": np.ones(rows), "cat": ["red", "green", "blue"] * (rows // 3)})
    ns["ints"] = list(range(1000, 1000 + n(1_000_000)))
    ns["floats"] = [float(i) for i in range(n(1_000_000))]
    ns["table"] = {str(i): [i + 1000, i + 2000] for i in range(n(100_000))}
    ns["pairs"] = [[j, j + 1, str(j)] for j in range(n(200_000))]
    ns["bag"] = set(range(1000, 1000 + n(300_000)))
    ns["points"] = [Point(float(i), 2.0 * i) for i in range(n(100_000))]
    ns["frozen_words"] = tuple(f"word {i}" for i in range(n(20_000)))
    ns["frozen_ids"] = frozenset(range(5000, 5000 + n(20_000)))
    ns["nested"] = {f"k{i}": {"vals": list(range(50)), "name": f"n{i}"} for i in range(n(5_000))}
    for i in range(20):
        ns[f"cfg{i}"] = {f"key{j}": [f"value {i} {j}", j * 1.5] for j in range(1500)}
    for i in range(6):
        ns[f"row{i}"] = [float(j) for j in range(2000)]
    # the scalars that must never stay pending
    for i in range(4):
        ns[f"name{i}"] = f"a plain string number {i}"
        ns[f"raw{i}"] = bytes(range(i, i + 40))
        ns[f"count{i}"] = 10**12 + i
        ns[f"ratio{i}"] = 0.5 + i
    ns["big_int"] = 7**5000
    ns["pi"] = 3.14159
    return ns

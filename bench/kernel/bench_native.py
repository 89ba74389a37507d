"""Benchmark of the native-memory sizers (issue 25).

1. The cost of the new sizers: a namespace of 100 fitted models (40 random
   forests of 10 trees, 30 decision trees, 20 KDTrees/BallTrees, 10 gradient
   boosting classifiers of 20 trees) timed through ``inspect_namespace``
   (complete snapshots with findings; p50 / min / max), with the total
   against the models' own buffers (trees: capacity x node size + values;
   neighbor trees: ``get_arrays()``).
2. ``--issue``: the five objects of the issue at full size, each measured
   against its truth (the library's arrays, its pickle, resident growth).

Run: .venv/bin/python bench/kernel/bench_native.py [--issue] [--json out.json]
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import statistics
import time
import zlib

import memlens_kernel as mk
import numpy as np
import psutil

RUNS = 9


def tree_bytes(tree, node_size):
    values = tree.value
    full = values.base if values.base is not None else values
    return tree.capacity * node_size + full.nbytes


def models():
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
    from sklearn.neighbors import BallTree, KDTree
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.tree._tree import NODE_DTYPE

    rng = np.random.default_rng(0)
    X = rng.random((2000, 10))
    y = rng.integers(0, 2, 2000)
    ns, truth = {}, 0
    for i in range(40):
        m = RandomForestClassifier(n_estimators=10, random_state=i, n_jobs=1).fit(X, y)
        ns[f"forest{i}"] = m
        truth += sum(tree_bytes(e.tree_, NODE_DTYPE.itemsize) for e in m.estimators_)
    for i in range(30):
        m = DecisionTreeClassifier(random_state=i).fit(X, y)
        ns[f"tree{i}"] = m
        truth += tree_bytes(m.tree_, NODE_DTYPE.itemsize)
    for i in range(20):
        pts = rng.random((10_000, 3))
        m = (KDTree if i % 2 else BallTree)(pts)
        ns[f"index{i}"] = m
        truth += sum(a.nbytes for a in m.get_arrays())
    for i in range(10):
        m = GradientBoostingClassifier(n_estimators=20, max_depth=4, random_state=i).fit(X, y)
        ns[f"boost{i}"] = m
        truth += sum(tree_bytes(e.tree_, NODE_DTYPE.itemsize) for e in m.estimators_.ravel())
    return ns, truth


def bench_models():
    ns, truth = models()
    times, cpu = [], []
    snap = None
    for _ in range(RUNS):
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        snap = mk.inspect_namespace(ns)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    assert snap is not None and snap["complete"]
    sized = sum(v["size_bytes"] for v in snap["variables"])
    return {
        "models": len(ns),
        "p50_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "truth_mb": round(truth / 1e6, 2),
        "reported_mb": round(sized / 1e6, 2),
        "all_exact": all(v["size_exact"] for v in snap["variables"]),
    }


def rss():
    gc.collect()
    return psutil.Process().memory_info().rss


def measure(name, build, truth_of):
    before = rss()
    obj = build()
    grown = rss() - before
    v = mk.inspect_namespace({name: obj}, findings=False, budget_ms=10_000)["variables"][0]
    truth, how = truth_of(obj, grown)
    return {
        "name": name,
        "truth_mb": round(truth / 1e6, 2),
        "how": how,
        "rss_growth_mb": round(grown / 1e6, 1),
        "reported_mb": round(v["size_bytes"] / 1e6, 4),
        "ratio": round(v["size_bytes"] / truth, 3),
        "exact": v["size_exact"],
        "native": v.get("native"),
    }


def bench_issue():
    from PIL import Image
    from scipy.spatial import cKDTree
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.neighbors import KDTree
    from sklearn.tree._tree import NODE_DTYPE

    rng = np.random.default_rng(0)
    X = rng.random((100_000, 20))
    y = rng.integers(0, 2, 100_000)
    pts = rng.random((1_000_000, 3))
    # the image first: a fresh heap, so resident growth is the pixels alone
    out = [
        measure(
            "image",
            lambda: Image.new("RGB", (6000, 6000)),
            lambda m, g: (6000 * 6000 * 4, f"6000 x 6000 x 4 B (RGBX); RSS grew {g / 1e6:.1f} MB"),
        ),
        measure(
            "forest",
            lambda: RandomForestClassifier(n_estimators=40, random_state=0, n_jobs=1).fit(X, y),
            lambda m, g: (
                sum(tree_bytes(e.tree_, NODE_DTYPE.itemsize) for e in m.estimators_),
                "trees' node + value buffers",
            ),
        ),
        measure(
            "kdtree",
            lambda: KDTree(pts),
            lambda m, g: (sum(a.nbytes for a in m.get_arrays()), "get_arrays()"),
        ),
        measure(
            "ckdtree",
            lambda: cKDTree(rng.random((1_000_000, 3))),
            lambda m, g: (len(pickle.dumps(m)), "pickle"),
        ),
        measure(
            "zlib",
            zlib.compressobj,
            lambda m, g: (256 * 1024, "zlib deflate state (~256 KiB)"),
        ),
    ]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--issue", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    result = {"models": bench_models()}
    if args.issue:
        result["issue"] = bench_issue()
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()

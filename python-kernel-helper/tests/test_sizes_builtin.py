"""Deep sizes of builtin objects against tracemalloc ground truth."""

from __future__ import annotations

import gc
import random
import sys
import tracemalloc

import pytest
from conftest import traced, var, within

import memlens_kernel as mk


def snap(ns, **kw):
    kw.setdefault("budget_ms", 10_000)  # behaviour, not speed: the machine may be loaded
    return mk.inspect_namespace(ns, findings=False, **kw)


@pytest.mark.parametrize(
    "factory, rel",
    [
        (lambda: list(range(1000, 1_001_000)), 0.02),
        (lambda: [float(i) for i in range(1_000_000)], 0.02),
        (lambda: {str(i): [i + 1000, i + 2000] for i in range(100_000)}, 0.05),
        (lambda: [str(i) * (i % 7 + 1) for i in range(200_000)], 0.05),
        (lambda: {i: (str(i), float(i)) for i in range(3000, 8000)}, 0.03),
        (lambda: [[j * 1.5 for j in range(50)] for _ in range(20_000)], 0.05),
        (lambda: set(range(1000, 301_000)), 0.02),
    ],
    ids=["ints", "floats", "dict_str_list", "strings", "small_dict_exact", "nested", "set"],
)
def test_container_sizes_match_tracemalloc(factory, rel):
    obj, truth = traced(factory)
    v = var(snap({"x": obj}), "x")
    assert within(v["size_bytes"], truth, rel), (v["size_bytes"], truth)
    if not v["size_exact"]:
        # the stated bound must hold
        assert abs(v["size_bytes"] - truth) <= max(v["size_error"], 0.005) * v["size_bytes"] * 2


def test_small_containers_are_exact():
    obj, truth = traced(lambda: {i: [str(i) * 3] for i in range(500, 1500)})
    v = var(snap({"x": obj}), "x")
    assert v["size_exact"] is True and v["size_error"] == 0.0
    assert within(v["size_bytes"], truth, 0.02)


def test_repeated_objects_are_not_extrapolated():
    words = ["alpha" * 20, "beta" * 20, "gamma" * 20]
    rng = random.Random(1)
    big = [words[rng.randrange(3)] for _ in range(1_000_000)]
    v = var(snap({"big": big}), "big")
    # the list's pointer array + three strings, not a million strings
    truth = sys.getsizeof(big) + sum(sys.getsizeof(w) for w in words)
    assert within(v["size_bytes"], truth, 0.001), (v["size_bytes"], truth)
    assert v["size_exact"] is False


def test_aliases_and_shared_objects_counted_once_in_total():
    shared = [float(i) for i in range(100_000)]
    ns = {"a": shared, "b": shared, "c": {"k": shared}}
    s = snap(ns, threshold_bytes=2**20)
    a, b, c = var(s, "a"), var(s, "b"), var(s, "c")
    assert a["size_bytes"] == b["size_bytes"]
    assert c["size_bytes"] > a["size_bytes"]  # its own deep size includes the list
    assert s["total_bytes"] < a["size_bytes"] + 2000  # the list is counted once
    assert "b" in a["held_by"] and "a" in b["held_by"]


def test_instances_counted_without_materializing_dict():
    class Point:
        def __init__(self, i):
            self.x = i * 1.5
            self.y = i * 2.5

    def has_dict(p: Point) -> bool:
        # tp_traverse shows the instance dict once one exists (3.11+ keeps
        # attributes inline until ``__dict__`` is read); never read it here
        return any(type(r) is dict for r in gc.get_referents(p))

    pts, truth = traced(lambda: [Point(i) for i in range(50_000)])
    inline = sys.version_info >= (3, 11)
    if inline:
        assert not any(has_dict(p) for p in pts)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        v = var(snap({"pts": pts}), "pts")
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert within(v["size_bytes"], truth, 0.10), (v["size_bytes"], truth)
    if inline:
        assert not any(has_dict(p) for p in pts)
    # 50,000 materialized dicts would keep ~5 MB; the snapshot keeps nothing
    assert kept < 200_000, kept


def test_len_and_type_of_builtins():
    s = snap({"t": (1, 2, 3), "d": {1: 2}, "st": "abc", "n": 5})
    assert var(s, "t")["len"] == 3 and var(s, "t")["type"] == "tuple"
    assert var(s, "d")["len"] == 1
    assert var(s, "st")["len"] == 3
    assert var(s, "n")["len"] is None


def test_modules_functions_classes_are_skipped_with_reason():
    import json

    def f():
        return 1

    class C:
        pass

    s = snap({"json": json, "f": f, "C": C, "x": 1})
    reasons = {k["name"]: k["reason"] for k in s["skipped"]}
    assert reasons == {"json": "module", "f": "function", "C": "class"}
    assert [v["name"] for v in s["variables"]] == ["x"]

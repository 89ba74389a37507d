"""The fast paths for small names give the general engine's numbers, and keep nothing."""

from __future__ import annotations

import gc
import random
import sys
import time
import weakref

import numpy as np
import pytest

import memlens_kernel as mk
from memlens_kernel import facts
from memlens_kernel.sizing import Engine
from memlens_kernel.sizing.engine import Acc
from memlens_kernel.sizing.kinds import BUILTIN_KINDS
from memlens_kernel.sizing.small import atom_size, small_tree
from memlens_kernel.snapshot.records import record


def snap(ns, **kw):
    kw.setdefault("budget_ms", 10_000)
    return mk.inspect_namespace(ns, **kw)


def walked(obj):
    """(bytes, new) through the general walk only."""
    eng = Engine(time.perf_counter() + 10, {})
    try:
        acc = Acc()
        eng.walk(obj, acc)
        return acc.bytes, acc.new
    finally:
        eng.close()


def random_tree(rng, depth=0):
    r = rng.random()
    if depth > 2 or r < 0.5:
        return rng.choice(
            [
                rng.randrange(-10, 300),
                rng.randrange(2**40),
                -(2**70),
                rng.random(),
                "s" * rng.randrange(4),
                "long string " * rng.randrange(1, 5),
                None,
                True,
                b"bytes",
                1j,
            ]
        )
    n = rng.randrange(0, 6)
    items = [random_tree(rng, depth + 1) for _ in range(n)]
    if r < 0.7:
        return items
    if r < 0.85:
        return tuple(items)
    return {f"k{i}": v for i, v in enumerate(items)}


def test_small_tree_matches_the_walk_on_random_trees():
    rng = random.Random(4)
    shared = "a shared string"
    for _ in range(500):
        tree = random_tree(rng)
        if type(tree) is list:
            tree.append(shared)
            tree.append(shared)  # counted once
        got = small_tree(tree, dict(BUILTIN_KINDS), set())
        if got is None:
            continue
        assert (got[0], got[1]) == walked(tree), tree


def test_fast_sizes_equal_sys_getsizeof():
    for x in (1000, 2**30, 2**61, -(2**100), "ab", "é" * 10, "\U0001f600" * 3, 1.5, b"xyz"):
        expect = sys.getsizeof(x)
        if type(x) is int:
            expect = (expect + 7) & ~7
        assert atom_size(x, type(x)) == expect
    for c in ([1, 2], (1, 2), {"a": 1}, [], (), {}):
        # the container alone: items are shared small ints / 1-char strings
        assert small_tree(c, dict(BUILTIN_KINDS), set())[0] == sys.getsizeof(c)


def test_small_tree_gives_up_without_counting():
    glob = set()

    class Odd:
        pass

    assert small_tree([1000, 2000, Odd()], dict(BUILTIN_KINDS), glob) is None
    assert small_tree(list(range(1000, 3000)), dict(BUILTIN_KINDS), glob) is None
    cyclic = [5000]
    cyclic.append(cyclic)
    assert small_tree(cyclic, dict(BUILTIN_KINDS), glob) is None
    assert glob == set()


def test_inline_records_equal_engine_records():
    values = {
        "i": 10**6,
        "small_int": 3,
        "f": 2.5,
        "s": "hello world",
        "c": "x",
        "b": b"abc",
        "n": None,
        "t": True,
        "lst": [1000, 2.5, "abc", None],
        "tup": (1000, ("nested", 3000)),
        "d": {"k": 1000, "j": [1000]},
        "arr": np.arange(8),
        "arr2d": np.ones((3, 4), dtype=np.float32),
    }
    variables = {v["name"]: v for v in snap(values, findings=False)["variables"]}
    for name, value in values.items():
        eng = Engine(time.perf_counter() + 10, {})
        try:
            expect, _new = record(name, value, eng, {})
        finally:
            eng.close()
        got = dict(variables[name])
        assert got["held_by"] == []
        assert got == expect, name
        assert list(got) == list(expect), name  # same key order as the engine's records


def test_view_before_its_base_gets_the_base_name():
    base = np.arange(1000.0)
    ns = {"a_view": base[::2], "_": base, "_7": base, "the_base": base}
    v = {x["name"]: x for x in snap(ns, findings=False)["variables"]}["a_view"]
    assert v["owns_data"] is False and v["base"] == "the_base"  # not IPython's `_` names


def test_aliases_listed_both_ways_and_total_counts_once():
    shared = [1000, 2000, 3000]
    s = snap({"a": shared, "b": shared, "c": 5}, findings=False, threshold_bytes=0)
    v = {x["name"]: x for x in s["variables"]}
    assert v["a"]["held_by"] == ["b"] and v["b"]["held_by"] == ["a"]
    # below the large-object threshold an alias keeps nothing alive worth a mention
    v = {x["name"]: x for x in snap({"a": shared, "b": shared}, findings=False)["variables"]}
    assert v["a"]["held_by"] == [] and v["b"]["held_by"] == []
    assert s["total_bytes"] == v["a"]["size_bytes"]


def test_no_reference_kept_by_the_fast_paths():
    class Probe:
        pass

    probe = Probe()
    arr = np.arange(10)
    big = "x" * (4 << 20)  # above the findings floor: kept in ``objects`` while sizing
    refs = [weakref.ref(probe), weakref.ref(arr)]
    ns = {"p": probe, "lst": [probe], "arr": arr, "big": big, "t": (big, 1)}
    snap(ns, threshold_bytes=1)
    del probe, arr, ns
    gc.collect()
    assert all(r() is None for r in refs)
    assert sys.getrefcount(big) == 2  # our name and the call's argument


def test_a_changed_object_is_resized_and_a_reused_id_is_not_stale():
    ns = {"x": [1000, 2000]}
    first = snap(ns, findings=False)["variables"][0]["size_bytes"]
    ns["x"].append("a much longer string " * 10)
    second = snap(ns, findings=False)["variables"][0]["size_bytes"]
    assert second > first
    for _ in range(50):  # new objects (often at a recycled address) get their own sizes
        value = "y" * random.randrange(2, 2000)
        got = snap({"v": value}, findings=False)["variables"][0]["size_bytes"]
        assert got == sys.getsizeof(value)
        del value


def test_uss_reading_is_reused_briefly_and_expired_after_a_cell(monkeypatch):
    if not sys.platform.startswith("linux"):
        pytest.skip("USS is read from /proc on Linux")
    reads = []
    real = facts._read_uss

    def counting():
        reads.append(1)
        return real()

    monkeypatch.setattr(facts, "_read_uss", counting)
    facts.expire_uss()
    r = facts._READINGS

    def reading(read_at: float, value, cost: float) -> None:
        monkeypatch.setattr(r, "uss_read_at", read_at)
        monkeypatch.setattr(r, "uss", value)
        monkeypatch.setattr(r, "uss_cost", cost)

    reading(0.0, None, 0.0)
    facts.uss_bytes()
    # a reading that cost 5 ms is reused for 0.5 s
    reading(time.monotonic(), 123, 0.005)
    assert facts.uss_bytes() == 123
    assert len(reads) == 1
    facts.expire_uss()
    assert facts.uss_bytes() != 123 or len(reads) == 2
    assert len(reads) == 2
    assert facts.uss_bytes(max_age_s=0) is not None and len(reads) == 3
    # never older than USS_MAX_AGE_S however slow the read was
    reading(time.monotonic() - facts.USS_MAX_AGE_S - 0.01, 123, 10.0)
    facts.uss_bytes()
    assert len(reads) == 4


def test_str_keys_of_a_small_dict_are_counted():
    from conftest import traced, within

    obj, truth = traced(lambda: {f"key number {i}": i * 1000 for i in range(1000)})
    v = snap({"x": obj}, findings=False)["variables"][0]
    assert v["size_exact"] is True
    assert within(v["size_bytes"], truth, 0.02), (v["size_bytes"], truth)

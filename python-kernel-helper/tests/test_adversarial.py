"""A hostile namespace: no user code runs, nothing raises, the budget holds."""

from __future__ import annotations

import inspect
import sys
import time
import weakref
from collections import Counter
from unittest import mock

import numpy as np
import pytest
from conftest import var

import memlens_kernel as mk

CALLS: Counter = Counter()


def _count(name):
    def method(self, *args, **kwargs):
        CALLS[name] += 1
        if name == "__repr__":
            time.sleep(5)  # a repr that hangs would blow the budget
        raise RuntimeError(f"{name} must not be called")

    return method


class Meta(type):
    def __getattribute__(cls, name):
        CALLS[f"meta.{name}"] += 1
        return super().__getattribute__(name)


class Evil(metaclass=Meta):
    __repr__ = _count("__repr__")
    __str__ = _count("__str__")
    __len__ = _count("__len__")
    __bool__ = _count("__bool__")
    __eq__ = _count("__eq__")
    __hash__ = _count("__hash__")
    __iter__ = _count("__iter__")
    __sizeof__ = _count("__sizeof__")
    __getattr__ = _count("__getattr__")
    __reduce__ = _count("__reduce__")

    def __getattribute__(self, name):
        CALLS[f"getattribute.{name}"] += 1
        return object.__getattribute__(self, name)

    @property
    def __class__(self):
        CALLS["__class__"] += 1
        return dict

    @property
    def __dict__(self):
        CALLS["__dict__"] += 1
        return {}


class CountingList(list):
    __len__ = _count("list.__len__")
    __getitem__ = _count("list.__getitem__")
    __iter__ = _count("list.__iter__")
    __sizeof__ = _count("list.__sizeof__")


class CountingDict(dict):
    __len__ = _count("dict.__len__")
    __iter__ = _count("dict.__iter__")
    items = _count("dict.items")
    values = _count("dict.values")
    keys = _count("dict.keys")


class NonsenseSize:
    def __sizeof__(self):
        CALLS["nonsense.__sizeof__"] += 1
        return -(10**30)


class CountingArray(np.ndarray):
    @property
    def shape(self):
        CALLS["ndarray.shape"] += 1
        raise RuntimeError

    @property
    def base(self):
        CALLS["ndarray.base"] += 1
        raise RuntimeError

    def __sizeof__(self):
        CALLS["ndarray.__sizeof__"] += 1
        return -1


FakeFrame = type(
    "DataFrame", (), {"__module__": "pandas.core.frame", "_mgr": property(_count("fake._mgr"))}
)


def _generator(counter):
    for i in range(3):
        counter["generator.advanced"] += 1
        yield i


class Gone:
    pass


@pytest.fixture
def hostile():
    evil = Evil()
    self_list: list = []
    self_list.append(self_list)
    self_dict: dict = {}
    self_dict["me"] = self_dict
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    big_self = [evil] * 3000
    big_self[0] = big_self
    counting_list = CountingList(range(1000, 6000))
    counting_dict = CountingDict((i, Evil()) for i in range(3000))
    gone = Gone()
    proxy = weakref.proxy(gone)
    del gone
    magic = mock.MagicMock()
    gen = _generator(CALLS)
    ns = {
        "evil": evil,
        "evil_map": {"a": evil, "b": [evil, (evil,)]},
        "self_list": self_list,
        "self_dict": self_dict,
        "deep": deep,
        "big_self": big_self,
        "ten_million": [evil] * 10_000_000,
        "counting_list": counting_list,
        "counting_dict": counting_dict,
        "nonsense": NonsenseSize(),
        "array_subclass": np.zeros(1000).view(CountingArray),
        "fake_frame": FakeFrame(),
        "proxy": proxy,
        "magic": magic,
        "gen": gen,
        "type_with_meta": Evil,
    }
    CALLS.clear()
    return ns


def test_no_user_code_runs_and_nothing_raises(hostile):
    snap = mk.inspect_namespace(hostile, budget_ms=2000, threshold_bytes=1)
    assert Counter() == CALLS, CALLS
    assert hostile["magic"].mock_calls == [] and hostile["magic"].method_calls == []
    assert inspect.getgeneratorstate(hostile["gen"]) == inspect.GEN_CREATED
    assert snap["complete"] is True
    names = {v["name"] for v in snap["variables"]}
    assert names == set(hostile) - {"type_with_meta"}
    for v in snap["variables"]:
        assert "error" not in v, v
        assert v["size_bytes"] is not None and v["size_bytes"] > 0, v
    # lying __class__ does not fool the type
    assert var(snap, "evil")["type"].endswith("Evil")
    assert var(snap, "fake_frame")["type"].endswith("DataFrame")
    assert var(snap, "ten_million")["size_bytes"] >= 80_000_000
    assert var(snap, "ten_million")["len"] == 10_000_000
    assert var(snap, "counting_list")["len"] == 5000
    assert var(snap, "array_subclass")["shape"] == [1000]
    assert var(snap, "nonsense")["size_bytes"] < 1000


def test_budget_is_respected_and_the_rest_is_pending(hostile):
    # many names and a tiny budget: it must stop early and say so
    ns = dict(hostile)
    # ~2M small objects walked exactly: seconds without a budget
    ns["slow"] = [[float(j) for j in range(2000)] for _ in range(1000)]
    for i in range(5_000):
        ns[f"filler_{i}"] = [float(i)] * 10
    t0 = time.perf_counter()
    snap = mk.inspect_namespace(ns, budget_ms=20)
    elapsed = (time.perf_counter() - t0) * 1000
    assert Counter() == CALLS, CALLS
    assert snap["complete"] is False
    pending = [v for v in snap["variables"] if v.get("pending")]
    assert pending and all(v["size_bytes"] is None for v in pending)
    assert len(snap["variables"]) == len(ns) - 1  # every name is listed (the class is skipped)
    # the budget plus the per-name cost of listing 5,000 pending names
    assert elapsed < 20 + 230, elapsed
    assert var(snap, "slow").get("pending") or not var(snap, "slow")["size_exact"]


def test_no_reference_is_kept(hostile):
    class Probe:
        pass

    probe = Probe()
    ref = weakref.ref(probe)
    hostile["probe"] = probe
    hostile["probe_list"] = [probe] * 5000
    mk.inspect_namespace(hostile, budget_ms=2000, threshold_bytes=1)
    del probe, hostile["probe"], hostile["probe_list"]
    assert ref() is None


def test_library_never_imported(monkeypatch):
    for mod in ("polars", "torch", "dask", "xarray", "scipy.sparse"):
        monkeypatch.delitem(sys.modules, mod, raising=False)
    before = set(sys.modules)
    mk.inspect_namespace({"x": [1, 2, 3], "a": np.ones(10)})
    assert set(sys.modules) - before == set()

"""numpy and pandas sizes against the libraries' exact numbers and tracemalloc."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from conftest import traced, var, within

import memlens_kernel as mk


def snap(ns, **kw):
    kw.setdefault("budget_ms", 10_000)  # behaviour, not speed: the machine may be loaded
    return mk.inspect_namespace(ns, findings=False, **kw)


def test_owned_array_is_exact():
    a = np.arange(1_000_000, dtype=np.int64)
    v = var(snap({"a": a}), "a")
    assert v["size_exact"] and v["owns_data"] is True
    assert a.nbytes <= v["size_bytes"] <= a.nbytes + 200
    assert v["shape"] == [1_000_000] and v["dtype"] == "int64" and v["storage"] == "heap"


def test_view_names_its_base_and_counts_only_its_header():
    a = np.zeros((1000, 1000))
    s = snap({"a": a, "v": a[::2, 1:]})
    v = var(s, "v")
    assert v["owns_data"] is False and v["base"] == "a" and v["size_bytes"] < 500
    assert s["total_bytes"] < a.nbytes + 1000


def test_view_of_anonymous_array_counts_the_buffer_it_keeps_alive():
    v = var(snap({"v": np.ones(1_000_000)[::10]}), "v")
    assert v["owns_data"] is False and "base" not in v
    assert v["size_bytes"] >= 8_000_000


def test_memmap_is_file_backed(tmp_path):
    mm = np.memmap(tmp_path / "m.dat", dtype=np.float64, mode="w+", shape=(100_000,))
    v = var(snap({"mm": mm}), "mm")
    assert v["storage"] == "file" and v["size_bytes"] < 1000


def test_object_array_counts_its_objects():
    arr, truth = traced(lambda: np.array([str(i) * 5 for i in range(100_000)], dtype=object))
    v = var(snap({"arr": arr}), "arr")
    assert within(v["size_bytes"], truth, 0.05), (v["size_bytes"], truth)


def test_numeric_frame_matches_memory_usage():
    df = pd.DataFrame(
        {
            "a": np.arange(1_000_000),
            "b": np.random.rand(1_000_000),
            "c": np.arange(1_000_000, dtype=np.int8),
        }
    )
    df.index = pd.RangeIndex(1_000_000)
    v = var(snap({"df": df}), "df")
    truth = int(df.memory_usage(deep=True).sum())
    assert v["size_exact"] and within(v["size_bytes"], truth, 0.01), (v["size_bytes"], truth)
    assert v["shape"] == [1_000_000, 3]


def test_arrow_string_column_matches_arrow_buffers():
    df = pd.DataFrame({"s": [f"name-{i % 5000}" for i in range(500_000)]})
    assert str(df["s"].dtype) == "str"
    v = var(snap({"df": df}), "df")
    buffers = df["s"].array._pa_array.nbytes
    assert within(v["size_bytes"], buffers, 0.01), (v["size_bytes"], buffers)


def test_object_column_with_shared_strings_is_deduplicated():
    words = ["alpha" * 10, "beta" * 10, "gamma" * 10]
    col = pd.Series([words[i % 3] for i in range(1_000_000)], dtype=object)
    df = pd.DataFrame({"w": col})
    v = var(snap({"df": df}), "df")
    truth = 8_000_000 + sum(sys.getsizeof(w) for w in words)
    assert within(v["size_bytes"], truth, 0.02), (v["size_bytes"], truth)
    # pandas' own number counts the three strings a million times
    assert df.memory_usage(deep=True).sum() > 5 * truth


def test_object_column_with_distinct_strings_is_estimated_with_a_bound():
    df = pd.DataFrame(
        {"s": pd.Series([f"row {i} " * (1 + i % 4) for i in range(300_000)], dtype=object)}
    )
    truth = int(df.memory_usage(deep=True).sum())  # exact here: every string distinct
    v = var(snap({"df": df}), "df")
    assert not v["size_exact"] and 0 < v["size_error"] < 0.1
    assert abs(v["size_bytes"] - truth) <= v["size_error"] * v["size_bytes"]


def test_categorical_masked_datetime_and_series_and_index():
    df = pd.DataFrame(
        {
            "cat": pd.Categorical(["x", "y"] * 50_000),
            "int": pd.array(np.arange(100_000), dtype="Int64"),
            "ts": pd.date_range("2020", periods=100_000, freq="s"),
        }
    )
    v = var(snap({"df": df}), "df")
    truth = int(df.memory_usage(deep=True).sum())
    assert within(v["size_bytes"], truth, 0.02), (v["size_bytes"], truth)
    s = snap({"ser": df["int"], "idx": pd.Index(np.arange(100_000))})
    assert within(var(s, "ser")["size_bytes"], df["int"].memory_usage(deep=True), 0.02)
    assert var(s, "ser")["dtype"] == "Int64"
    assert var(s, "idx")["size_bytes"] >= 800_000


def test_frame_sharing_an_array_is_counted_once_in_total():
    a = np.arange(2_000_000, dtype=np.float64)
    df = pd.DataFrame({"a": a}, copy=False)
    s = snap({"a": a, "df": df})
    assert s["total_bytes"] < a.nbytes * 1.1 + 10_000


@pytest.mark.parametrize("n_cols", [20_000])
def test_wide_frame_is_fast(n_cols):
    df = pd.DataFrame(np.zeros((3, n_cols)))
    s = snap({"df": df}, budget_ms=5000)
    assert s["elapsed_ms"] < 1000
    assert var(s, "df")["shape"] == [3, n_cols]

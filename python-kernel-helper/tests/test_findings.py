"""Live findings LV101-LV108: each fires on its bad case and not on the good one."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest
from conftest import var

import memlens_kernel as mk
from memlens_kernel.features.dataframes import analyze_dataframe
from memlens_kernel.findings import lv105_uncollectable

MB = 2**20


def findings(ns, rule, threshold=10 * MB):
    snap = mk.inspect_namespace(ns, budget_ms=10_000, threshold_bytes=threshold)
    return [f for f in snap["findings"] if f["rule"] == rule]


def test_lv101_large_object_names_the_variable_and_size():
    found = findings({"big": np.zeros(2 * MB), "small": np.zeros(10)}, "LV101")
    assert [f["variable"] for f in found] == ["big"]
    assert "`big`" in found[0]["message"] and "16.0 MiB" in found[0]["message"]
    assert found[0]["action"] == {"type": "delete", "name": "big"}


def test_lv102_alias_and_output_cache_holders():
    big = np.zeros(2 * MB)
    ns = {"big": big, "alias": big, "Out": {3: big}, "_3": big}
    found = findings(ns, "LV102")
    # one finding per object, naming all its holders; the cache's action first
    assert len(found) == 1 and found[0]["variable"] == "big"
    assert set(found[0]["details"]["holders"]) == {"alias", "Out[3]", "_3"}
    assert found[0]["action"] == {"type": "clear_output_cache"}
    assert "16.0 MiB" in found[0]["message"] and "`Out[3]`" in found[0]["message"]


def test_lv102_object_only_in_output_cache_is_reported_hidden():
    ns = {"Out": {7: np.ones(2 * MB)}, "x": 1}
    snap = mk.inspect_namespace(ns, budget_ms=10_000, threshold_bytes=10 * MB)
    assert snap["hidden"][0]["holders"] == ["Out[7]"]
    found = [f for f in snap["findings"] if f["rule"] == "LV102"]
    assert found and found[0]["variable"] == "Out[7]" and "no variable" in found[0]["message"]


def test_lv103_dtype_suggestions_are_exact_and_safe():
    n = 200_000
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "small_int": rng.integers(0, 100, n),  # int64 -> int8
            "neg_int": rng.integers(-1000, 1000, n),  # -> int16
            "huge_int": rng.integers(0, 2**40, n),  # stays
            "integral_float": rng.integers(0, 50_000, n).astype(float),  # -> uint16/int32
            "nan_ints": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 100, n)),
            "prices": np.round(rng.random(n) * 1000, 2),  # 2 decimals, 6 digits -> float32
            "precise": rng.random(n),  # full precision: stays float64
            "city": pd.Series(rng.choice(["Oslo", "Lima", "Pune"], n), dtype=object),
            "free": pd.Series([f"id-{i}" for i in range(n)], dtype=object),
        }
    )
    report = analyze_dataframe(df, "df")
    sugg = {c["column"]: c["suggestion"] for c in report["columns"]}
    assert sugg["small_int"]["dtype"] == "int8"
    assert sugg["small_int"]["saving_bytes"] == n * 7 and not sugg["small_int"]["estimated"]
    assert sugg["neg_int"]["dtype"] == "int16"
    assert sugg["huge_int"] is None
    assert sugg["integral_float"]["dtype"] == "uint16"  # 0..49,999 does not fit int16
    assert sugg["nan_ints"]["dtype"] == "Int8"
    assert sugg["prices"]["dtype"] == "float32"
    assert sugg["precise"] is None
    assert sugg["city"]["dtype"] == "category"
    assert sugg["free"]["dtype"] == "string[pyarrow]"
    assert all(s is None or s["dtype"] != "float16" for s in sugg.values())
    # the code is exact and applying it keeps the values
    assert sugg["small_int"]["code"] == "df['small_int'] = df['small_int'].astype('int8')"
    ns = {"df": df.copy()}
    exec(report["code"], {}, ns)  # test-only: check the suggested code is valid and lossless
    new = ns["df"]
    assert (new["small_int"] == df["small_int"]).all()
    assert (new["prices"].astype(float).round(2) == df["prices"]).all()
    assert new["nan_ints"].isna().sum() == df["nan_ints"].isna().sum()
    assert new.memory_usage(deep=True).sum() < df.memory_usage(deep=True).sum() / 2
    found = findings({"df": df}, "LV103")
    assert found and found[0]["action"]["type"] == "insert_cell"
    assert found[0]["action"]["code"] == report["code"]


def test_lv103_silent_when_savings_are_small():
    df = pd.DataFrame({"x": np.random.rand(300_000)})
    assert findings({"df": df}, "LV103") == []


def test_lv104_sparse_candidate_only_for_mostly_zero_arrays():
    sparse = np.zeros((2000, 2000))
    sparse[::50, ::3] = 1.0
    dense = np.random.rand(2000, 2000)
    found = findings({"sparse": sparse, "dense": dense}, "LV104")
    assert [f["variable"] for f in found] == ["sparse"]
    assert found[0]["details"]["density"] < 0.02
    assert found[0]["details"]["sparse_bytes"] < sparse.nbytes / 10


def test_lv105_uncollectable_and_collect_result():
    assert lv105_uncollectable(collect_result={"collected": 0}) == []
    found = lv105_uncollectable(collect_result={"collected": 12, "freed_bytes": 4096})
    assert found[0]["rule"] == "LV105" and "12 objects" in found[0]["message"]
    gc.garbage.append(object())
    try:
        assert any("gc.garbage" in f["message"] for f in lv105_uncollectable())
    finally:
        gc.garbage.clear()


def test_lv106_figure_leak():
    plt = pytest.importorskip("matplotlib.pyplot")
    try:
        figs = [plt.figure() for _ in range(11)]
        found = findings({"n": len(figs)}, "LV106")
        assert found and found[0]["details"]["figures"] == 11
        assert found[0]["action"] == {"type": "close_figures"}
        assert mk.close_figures()["closed"] == 11
        assert findings({"n": 1}, "LV106") == []
    finally:
        plt.close("all")


class Plain:
    def __init__(self, i):
        self.a = i * 0.5
        self.b = i * 1.5


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self, i):
        self.a = i * 0.5
        self.b = i * 1.5


def test_lv107_many_instances_without_slots():
    found = findings({"pts": [Plain(i) for i in range(150_000)]}, "LV107")
    assert found and found[0]["details"]["instances"] > 100_000
    assert "Plain" in found[0]["message"]
    assert findings({"pts": [Slotted(i) for i in range(150_000)]}, "LV107") == []
    assert findings({"pts": [Plain(i) for i in range(5_000)]}, "LV107") == []


def test_lv108_duplicate_data_not_aliases():
    a = np.arange(2 * MB, dtype=np.float64)
    found = findings({"a": a, "b": a.copy(), "alias": a, "c": a + 1}, "LV108")
    assert [(f["variable"], f["details"]["same_as"]) for f in found] == [("b", "a")]
    assert found[0]["details"]["checked"] == "fully"


def test_history_names_and_shared_immutables_are_never_holders():
    df = pd.DataFrame({"a": np.zeros(3 * MB // 8)})
    ns = {
        "report": "",
        "flag": None,
        "n": 7,
        "df": df,
        "Out": {4: df},
        "_4": df,
        "__": df,
        "_": "",
        "___": "",
        "_i": "",
        "_ii": "df",
        "_iii": "",
        "_i4": "df",
        "In": ["", "df"],
    }
    snap = mk.inspect_namespace(ns, budget_ms=10_000, threshold_bytes=MB)
    assert var(snap, "report")["held_by"] == []
    assert var(snap, "flag")["held_by"] == [] and var(snap, "n")["held_by"] == []
    held = var(snap, "df")["held_by"]
    assert sorted(held) == ["Out[4]", "_4", "__"]
    found = [f for f in snap["findings"] if f["rule"] == "LV102"]
    assert len(found) == 1 and found[0]["variable"] == "df"
    msg = found[0]["message"]
    assert msg.startswith("`df` (3.0 MiB) is also kept alive by ")
    assert all(f"`{h}`" in msg for h in held) and "_i" not in msg


def test_small_objects_list_no_holders():
    small = list(range(1000, 1100))
    snap = mk.inspect_namespace(
        {"small": small, "alias": small, "Out": {2: small}, "_2": small},
        budget_ms=10_000,
        threshold_bytes=MB,
    )
    assert var(snap, "small")["held_by"] == [] and var(snap, "alias")["held_by"] == []
    assert not [f for f in snap["findings"] if f["rule"] == "LV102"]


@pytest.mark.parametrize(
    "n, text",
    [
        (0, "0 B"),
        (512, "512 B"),
        (1536, "1.5 KiB"),
        (int(812.3 * 2**20), "812.3 MiB"),
        (1024 * 1024 - 20, "1.0 MiB"),  # not "1024.0 KiB"
        (int(1.2 * 2**30), "1.2 GiB"),
        (-2048, "-2.0 KiB"),
        (3 * 2**50, "3.0 PiB"),
    ],
)
def test_fmt_bytes_is_iec_with_one_decimal(n, text):
    from memlens_kernel.findings.base import fmt_bytes

    assert fmt_bytes(n) == text

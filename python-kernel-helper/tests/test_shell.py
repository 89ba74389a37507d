"""In-process IPython shell: holders, actions and the per-cell timeline."""

from __future__ import annotations

import statistics
import sys
import time

import pytest

import memlens_kernel as mk
from memlens_kernel import state
from memlens_kernel.features.timeline import Timeline

MB = 2**20


@pytest.fixture(scope="module")
def ip():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    mk.load_ipython_extension(shell)
    mk.load_ipython_extension(shell)  # idempotent
    yield shell
    mk.unload_ipython_extension(shell)


def snap(ip, threshold=MB):
    return mk.inspect_namespace(ip.user_ns, budget_ms=10_000, threshold_bytes=threshold, shell=ip)


def var(s, name):
    return next(v for v in s["variables"] if v["name"] == name)


def test_hooks_registered_once(ip):
    pre = [
        cb
        for cb in ip.events.callbacks["pre_run_cell"]
        if "memlens" in repr(cb) or getattr(cb, "_memlens_hook", False)
    ]
    assert len(pre) == 1


def test_output_cache_holds_displayed_value_and_delete_clears_it(ip):
    ip.run_cell("data = list(range(10**6))", store_history=True)
    ip.run_cell("data", store_history=True)
    s = snap(ip)
    held = var(s, "data")["held_by"]
    assert "_" in held and any(h.startswith("Out[") for h in held)
    assert any(f["rule"] == "LV102" for f in s["findings"])
    ref_check = ip.user_ns["data"]
    result = mk.delete_variable(ip.user_ns, "data", shell=ip)
    assert result["deleted"] and result["still_held_by"] == ["another reference (not a variable)"]
    del ref_check
    assert "data" not in ip.user_ns
    assert not any(
        v is not None and type(v) is list and len(v) == 10**6 for v in ip.user_ns["Out"].values()
    )


def test_delete_reports_freed_bytes(ip):
    ip.run_cell("blob = [float(i) for i in range(200_000)]", store_history=True)
    result = mk.delete_variable(ip.user_ns, "blob", shell=ip)
    assert result["still_held_by"] == [] and result["freed_bytes"] > 6_000_000


@pytest.mark.parametrize("name", ["", "1abc", "a-b", "__import__('os').system('x')", "class", 5])
def test_delete_refuses_bad_names(ip, name):
    before = dict(ip.user_ns)
    result = mk.delete_variable(ip.user_ns, name, shell=ip)
    assert result["deleted"] is False and result["error"]
    assert ip.user_ns.keys() == before.keys()


def test_last_exception_frames_keep_locals_alive(ip):
    ip.run_cell(
        "import weakref\nclass Big:\n    pass\n"
        "def f():\n    global probe\n"
        "    local = Big(); local.payload = bytearray(5 * 2**20)\n"
        "    probe = weakref.ref(local)\n"
        "    raise ValueError('boom')\n",
        store_history=True,
    )
    ip.run_cell("f()", store_history=True)
    s = snap(ip)
    hidden = [h for h in s["hidden"] if any("last exception" in x for x in h["holders"])]
    assert hidden and hidden[0]["size_bytes"] >= 5 * 2**20
    assert any(
        f["rule"] == "LV102" and f["action"] == {"type": "clear_last_error"} for f in s["findings"]
    )
    assert ip.user_ns["probe"]() is not None
    assert mk.clear_last_error(ip)["cleared"] is True
    assert ip.user_ns["probe"]() is None
    assert not [h for h in snap(ip)["hidden"] if any("last exception" in x for x in h["holders"])]


def test_collect_and_release(ip):
    ip.run_cell("a = []; a.append(a); del a", store_history=True)
    result = mk.collect_garbage()
    assert result["collected"] >= 1 and len(result["per_generation"]) == 3
    rel = mk.release_to_os()
    assert rel["rss_before"] and rel["rss_after"]
    if sys.platform.startswith("linux"):
        assert rel["trimmed"] is True


def test_timeline_records_peak_and_skips_silent(ip):
    tl = state.timeline()
    n = len(tl.entries)
    ip.run_cell("x = bytearray(80 * 2**20); del x", store_history=True)
    entry = tl.entries[-1]
    assert len(tl.entries) == n + 1
    if tl.peak_method == "vmhwm":
        assert entry["peak_delta_bytes"] >= 70 * 2**20  # caught although freed at the end
    assert entry["delta_bytes"] < 40 * 2**20
    ip.run_cell("y = 1", silent=True)
    ip.run_cell("y = 1", store_history=False)
    assert len(tl.entries) == n + 1
    assert tl.snapshot(since=entry["seq"] - 1)["entries"] == [entry]


def test_timeline_is_bounded_and_cheap():
    tl = Timeline(max_entries=50)

    class Info:
        silent = False
        store_history = True
        cell_id = None

    info = Info()
    costs = []
    for _ in range(300):
        t0 = time.perf_counter()
        tl.pre_run_cell(info)
        tl.post_run_cell(None)
        costs.append(time.perf_counter() - t0)
    assert len(tl.entries) == 50 and tl.entries[-1]["seq"] == 300
    assert statistics.median(costs) < 0.001, statistics.median(costs)

"""LV112 native-memory-unseen: resident growth the sized variables do not explain."""

from __future__ import annotations

import sys
import zlib

import numpy as np
import pytest

import memlens_kernel as mk
from memlens_kernel import state
from memlens_kernel.findings import native
from memlens_kernel.findings.base import RuleMemory


@pytest.fixture
def timeline():
    tl = state.timeline()
    saved = list(tl.entries), tl.seq
    tl.entries.clear()
    tl.seq = 0  # cell ids below count from 1 whatever ran before in this process
    state.HELPER.rules = RuleMemory()
    yield tl
    tl.entries.clear()
    tl.entries.extend(saved[0])
    tl.seq = saved[1]
    state.HELPER.rules = RuleMemory()


def _cell(tl, delta: int) -> None:
    tl.seq += 1
    tl.entries.append(
        {"seq": tl.seq, "execution_count": tl.seq, "cell_id": f"c{tl.seq}", "delta_bytes": delta}
    )


def _lv112(ns):
    snap = mk.inspect_namespace(ns, budget_ms=10_000)
    return [f for f in snap["findings"] if f["rule"] == "LV112"], snap


def test_unexplained_growth_names_the_new_opaque_variable(timeline, validate):
    ns = {"a": np.ones(1000)}
    assert _lv112(ns)[0] == []  # the baseline snapshot
    _cell(timeline, 1_300_000_000)
    ns["model"] = zlib.compressobj()
    found, snap = _lv112(ns)
    assert len(found) == 1, found
    f = found[0]
    assert f["variable"] == "model" and f["severity"] == "warning"
    assert f["message"].startswith("`model` (zlib.Compress) probably holds ~1.2 GiB")
    assert f["message"].endswith("the helper cannot see")
    assert f["details"]["cell_id"] == "c1"
    validate({"protocol": "1.1", "id": 1, "type": "snapshot_reply", "ok": True, "snapshot": snap})
    # the next snapshot, no cell run since: nothing new to say
    assert _lv112(ns)[0] == []


def test_growth_explained_by_sized_variables_is_quiet(timeline):
    ns = {"z": zlib.compressobj()}
    _lv112(ns)
    _cell(timeline, 170_000_000)
    ns["big"] = np.ones(20_000_000)  # 160 MB, sized
    ns["codec"] = zlib.compressobj()
    assert _lv112(ns)[0] == []


def test_old_opaque_variables_are_not_blamed(timeline):
    ns = {"z": zlib.compressobj()}
    _lv112(ns)
    _cell(timeline, 500_000_000)
    assert _lv112(ns)[0] == []  # z was there before the cell


# -- through a real kernel: the cell's source names what it created ---------------------


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    from kernel_client import Kernel

    k = Kernel(tmp_path_factory.mktemp("native"))
    try:
        k.execute("%load_ext memlens_kernel\nimport mmap, zlib")
        k.open_comm()
        yield k
    finally:
        k.close()


@pytest.mark.skipif(sys.platform != "linux", reason="anonymous mmap residency")
def test_lv112_in_a_kernel_names_the_variable_of_the_cell(kernel, validate):
    # 300 MB of pages touched inside an mmap: resident, invisible to getsizeof
    kernel.run_cell(
        "m = mmap.mmap(-1, 300_000_000)\nfor i in range(0, 300_000_000, 4096):\n    m[i] = 1",
        "cell-mmap",
        120.0,
    )
    kernel.run_cell("small = zlib.compressobj()", "cell-small", 60.0)
    reply = kernel.request("snapshot", budget_ms=5000)
    validate(reply)
    found = [f for f in reply["snapshot"]["findings"] if f["rule"] == "LV112"]
    assert [f["variable"] for f in found] == ["m"], reply["snapshot"]["findings"]
    assert found[0]["message"].startswith("`m` (mmap.mmap) probably holds ~2")
    assert found[0]["details"]["cell_id"] == "cell-mmap"
    # still said while `m` lives, gone once it is freed
    assert [
        f["variable"]
        for f in kernel.request("snapshot")["snapshot"]["findings"]
        if f["rule"] == "LV112"
    ] == ["m"]
    kernel.run_cell("m.close(); del m", "cell-free", 60.0)
    reply = kernel.request("snapshot", budget_ms=5000)
    assert not [f for f in reply["snapshot"]["findings"] if f["rule"] == "LV112"]


def test_bound_names_are_the_cells_module_level_bindings():
    source = (
        "import numpy as np\n"
        "model, (a, b) = make(), (1, 2)\n"
        "for i in range(3):\n    total = i\n"
        "def f(x):\n    inner = x\n"
        "class K:\n    attr = 1\n"
        "squares = [j * j for j in range(3)]\n"
        "with open('f') as fh:\n    pass\n"
        "get_ipython().run_line_magic('time', 'x = 1')\n"
    )
    assert native.bound_names(source) == {
        "np",
        "model",
        "a",
        "b",
        "i",
        "total",
        "f",
        "K",
        "squares",
        "fh",
    }
    assert native.bound_names("x = (") is None

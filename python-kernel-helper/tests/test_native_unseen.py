"""LV112 native-memory-unseen: resident growth the sized variables do not explain."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import memlens_kernel as mk
from memlens_kernel import state
from memlens_kernel.findings import native


@pytest.fixture
def timeline():
    tl = state.timeline()
    saved = list(tl.entries), tl.seq
    tl.entries.clear()
    native._last.update(seq=0, sizes={})
    yield tl
    tl.entries.clear()
    tl.entries.extend(saved[0])
    tl.seq = saved[1]
    native._last.update(seq=0, sizes={})


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

"""Progressive snapshots (protocol 1.1) through a fake comm: seq, progress, deltas."""

from __future__ import annotations

import json
import math
import time
from typing import Any, Dict, List

import pytest
from test_protocol import FakeComm, FakeShell, req

import memlens_kernel as mk
from memlens_kernel import state
from memlens_kernel.comm import target as commtarget


def issue_namespace() -> Dict[str, Any]:
    """The issue's namespace: 3,000 dicts of 300 strings and one big list of lists."""
    ns: Dict[str, Any] = {
        f"d{i}": {f"k{j}": f"value {i} {j} " * 3 for j in range(300)} for i in range(3000)
    }
    ns["big"] = [[j, j + 1, str(j)] for j in range(200_000)]
    ns["Out"] = {}
    return ns


@pytest.fixture
def open_comm(validate, monkeypatch):
    """(fake comm, namespace setter); every sent message is checked against the schema."""
    fakes: List[FakeComm] = []

    def make(ns: Dict[str, Any]) -> FakeComm:
        monkeypatch.setattr(state.HELPER, "loaded_shell", FakeShell(ns))
        fake = FakeComm()
        fake.comm_id = f"fake-{len(fakes)}"
        commtarget._on_open(fake, {"content": {"data": {}}})
        fakes.append(fake)
        return fake

    yield make
    for fake in fakes:
        for message in fake.sent:
            validate(message)
    state.HELPER.comms.clear()


class Frontend:
    """Applies replies like the panel does: full replace, or delta on top."""

    def __init__(self, comm: FakeComm) -> None:
        self.comm = comm
        self.rows: Dict[str, Dict[str, Any]] = {}
        self.seq = None
        self.rid = 0
        self.sized_once: set = set()

    def poll(self, budget_ms: float = 200, **extra: Any) -> Dict[str, Any]:
        self.rid += 1
        args: Dict[str, Any] = {"budget_ms": budget_ms, **extra}
        if self.seq is not None and "since" not in extra:
            args["since"] = self.seq
        reply = self.comm.receive(req("snapshot", rid=self.rid, **args))
        assert reply["ok"], reply
        snap = reply["snapshot"]
        if not snap.get("delta"):
            self.rows = {}
        for name in snap.get("removed", []):
            self.rows.pop(name, None)
        for row in snap["variables"]:
            if row.get("pending"):
                assert row["name"] not in self.sized_once, f"{row['name']} flickered to pending"
            else:
                self.sized_once.add(row["name"])
            self.rows[row["name"]] = row
        self.seq = snap["seq"]
        return snap


def test_issue_namespace_completes_within_ten_follow_ups(open_comm):
    ns = issue_namespace()
    # The target assumes one complete pass takes ~1.6 s; on a loaded shared
    # machine it can take longer, and the allowance grows with it (never < 10).
    t0 = time.perf_counter()
    mk.inspect_namespace(ns, budget_ms=60_000, findings=False)
    allowed = max(10, math.ceil((time.perf_counter() - t0) / 0.16))
    fe = Frontend(open_comm(ns))
    snaps = [fe.poll()]
    while not snaps[-1]["complete"] and len(snaps) <= allowed + 1:
        snaps.append(fe.poll())
    assert snaps[-1]["complete"], [s["progress"] for s in snaps]
    assert len(snaps) - 1 <= allowed
    seqs = [s["seq"] for s in snaps]
    assert seqs == sorted(set(seqs))
    for s in snaps:
        assert s["complete"] == (s["progress"]["sized"] == s["progress"]["total"])
    sized = [s["progress"]["sized"] for s in snaps]
    assert sized == sorted(sized) and sized[-1] == len(ns) - 1  # all but `Out`
    assert not any(r.get("pending") for r in fe.rows.values())
    assert fe.rows["big"]["size_bytes"] > 10_000_000
    # the biggest object is sized by the first request, not left for last
    assert snaps[0]["delta"] is False and not snaps[0]["variables"][-1].get("pending")
    first = {v["name"]: v for v in snaps[0]["variables"]}
    assert not first["big"].get("pending")

    # a complete state polled again: nothing changed, the reply stays small
    again = fe.poll()
    size = len(json.dumps(again))
    assert again["delta"] is True and again["variables"] == [] and again["removed"] == []
    assert size < 20_000, size


def test_changed_object_is_resized_and_delta_lists_changes(open_comm):
    ns: Dict[str, Any] = {"a": list(range(1000, 2000)), "b": "text" * 10, "c": {"k": 1000}}
    fe = Frontend(open_comm(ns))
    full = fe.poll(budget_ms=5000)
    assert full["complete"] and full["delta"] is False and {"a", "b", "c"} <= set(fe.rows)
    size_a = fe.rows["a"]["size_bytes"]

    ns["a"].extend(range(5000, 9000))  # grows in place: same id
    ns["d"] = [1.5] * 10  # added
    del ns["c"]  # removed
    delta = fe.poll(budget_ms=5000)
    assert delta["delta"] is True
    assert {v["name"] for v in delta["variables"]} == {"a", "d"}
    assert delta["removed"] == ["c"]
    assert fe.rows["a"]["size_bytes"] > size_a + 4000 * 28
    assert set(fe.rows) == {"a", "b", "d"}


def test_unknown_or_old_since_gets_a_full_snapshot(open_comm):
    ns: Dict[str, Any] = {"a": [1000, 2000], "b": 3.5}
    fe = Frontend(open_comm(ns))
    first = fe.poll(budget_ms=5000)
    second = fe.poll(budget_ms=5000)
    assert second["delta"] is True and second["seq"] == first["seq"] + 1
    for since in (first["seq"], 999):  # old, unknown
        snap = fe.poll(budget_ms=5000, since=since)
        assert snap["delta"] is False and {v["name"] for v in snap["variables"]} == {"a", "b"}
    fe.rid += 1
    bad = fe.comm.receive(req("snapshot", rid=fe.rid, since=-1))
    assert bad["ok"] is False and "since" in bad["error"]


def test_each_comm_has_its_own_sequence(open_comm):
    ns: Dict[str, Any] = {"a": [1000, 2000]}
    one, two = Frontend(open_comm(ns)), Frontend(open_comm(ns))
    s1 = one.poll(budget_ms=5000)
    s2 = one.poll(budget_ms=5000)
    t1 = two.poll(budget_ms=5000, since=s2["seq"])  # another comm's seq means nothing here
    assert t1["delta"] is False and t1["seq"] == s1["seq"]


def test_replaced_object_mid_pass_is_resized(open_comm):
    ns = issue_namespace()
    fe = Frontend(open_comm(ns))
    fe.poll()
    sized = [n for n, r in fe.rows.items() if n.startswith("d") and not r.get("pending")]
    assert sized
    name = sized[0]
    before = fe.rows[name]["size_bytes"]
    ns[name] = {f"k{j}": f"much longer value {j} " * 20 for j in range(300)}  # new object
    for _ in range(12):  # behaviour, not speed: a loaded machine needs time
        snap = fe.poll(budget_ms=2000)
        if snap["complete"]:
            break
    assert snap["complete"]
    assert fe.rows[name]["size_bytes"] > before * 2


def test_inspect_namespace_stays_a_full_snapshot():
    snap = mk.inspect_namespace({"a": [1000, 2000]}, budget_ms=5000)
    assert snap["complete"] and snap["progress"] == {"sized": 1, "total": 1}
    assert "seq" not in snap and "delta" not in snap


def test_session_keeps_no_reference_to_user_objects_or_classes(open_comm):
    import gc
    import weakref

    class Probe:
        pass

    probe = Probe()
    ref, cls_ref = weakref.ref(probe), weakref.ref(Probe)
    ns: Dict[str, Any] = {"p": probe, "big": list(range(1000, 100_000))}
    fe = Frontend(open_comm(ns))
    fe.poll(budget_ms=5000)
    fe.poll(budget_ms=5000)
    del ns["p"], probe, Probe
    gc.collect()
    assert ref() is None and cls_ref() is None


def test_in_place_growth_mid_pass_is_resized(open_comm):
    ns = issue_namespace()
    fe = Frontend(open_comm(ns))
    fe.poll()
    assert not fe.rows["big"].get("pending")  # sized first: the biggest-looking
    before = fe.rows["big"]["size_bytes"]
    ns["big"].extend([j, j] for j in range(100_000))  # same list, grown
    for _ in range(12):  # behaviour, not speed: a loaded machine needs time
        if fe.poll(budget_ms=2000)["complete"]:
            break
    assert fe.rows["big"]["size_bytes"] > before * 1.2


SCALARS = [f"{p}{i}" for p in ("name", "raw", "count", "ratio") for i in range(4)]


def test_torture_namespace_completes_within_three_follow_ups_and_stays_complete(open_comm):
    """The issue's torture namespace (~70 names, ~1.2 GB, a pass of about one budget)."""
    from torture import torture_namespace

    ns = torture_namespace()
    t0 = time.perf_counter()
    truth = mk.inspect_namespace(ns, budget_ms=60_000, findings=False)
    # 3 follow-ups where a complete pass fits in ~one budget; a loaded machine gets more
    allowed = max(3, math.ceil((time.perf_counter() - t0) / 0.17))
    fe = Frontend(open_comm(ns))
    snaps = [fe.poll()]
    # constant-time sizes come first: plain scalars are never pending
    assert not [n for n in SCALARS if fe.rows[n].get("pending")]
    while not snaps[-1]["complete"] and len(snaps) <= allowed + 1:
        snaps.append(fe.poll())
    assert snaps[-1]["complete"], [s["progress"] for s in snaps]
    assert len(snaps) - 1 <= allowed, [s["progress"] for s in snaps]
    # later refreshes start new passes: nothing is pending, so they stay complete
    for _ in range(6):
        again = fe.poll()
        assert again["complete"] and again["progress"]["sized"] == again["progress"]["total"]
    assert not any(r.get("pending") for r in fe.rows.values())
    for row in truth["variables"]:
        got = fe.rows[row["name"]]["size_bytes"]
        assert abs(got - row["size_bytes"]) <= 0.10 * row["size_bytes"], (row["name"], got, row)


def test_stable_sizes_carry_over_between_passes(open_comm, monkeypatch):
    import numpy as np

    from memlens_kernel.snapshot.records import Recorder

    sized: List[str] = []
    original = Recorder._size

    def counting(self, name, value, t, kind):
        sized.append(name)
        return original(self, name, value, t, kind)

    monkeypatch.setattr(Recorder, "_size", counting)
    ns: Dict[str, Any] = {
        "s": "a string " * 100,
        "b": b"bytes" * 100,
        "i": 10**40,
        "f": 2.5,
        "t": ("x" * 50, 10**20, 1.5),
        "fz": frozenset({"a" * 30, "b" * 30}),
        "a": np.arange(1000.0),
        "lst": [1000, 2000],
        "tl": ([1000], 2),  # a tuple holding a list can change size: re-sized
    }
    fe = Frontend(open_comm(ns))
    fe.poll(budget_ms=5000)
    assert sorted(sized) == sorted(ns)
    sized.clear()
    fe.poll(budget_ms=5000)  # a new pass: only what could have changed is sized again
    assert sorted(sized) == ["lst", "tl"]
    sized.clear()
    ns["a"] = np.arange(2000.0)  # another array: sized again
    ns["s"] = "another string " * 10
    fe.poll(budget_ms=5000)
    assert sorted(sized) == ["a", "lst", "s", "tl"]
    assert fe.rows["a"]["size_bytes"] >= 16_000


def test_unreached_unchanged_names_keep_their_size_and_the_reply_stays_complete(open_comm):
    ns = issue_namespace()
    fe = Frontend(open_comm(ns))
    for _ in range(30):  # behaviour, not speed: a loaded machine needs time
        if fe.poll()["complete"]:
            break
    assert fe.rows and not any(r.get("pending") for r in fe.rows.values())
    # a new pass that cannot re-size everything in one request is still complete
    snap = fe.poll(budget_ms=5)
    assert snap["complete"] and snap["progress"]["sized"] == snap["progress"]["total"]
    # a changed object the budget did not reach is pending, and the reply incomplete
    ns["big"].append([1, 2, 3])
    ns["d0"] = {"k": "new object " * 10}
    fe.sized_once -= {"big", "d0"}  # changed objects may turn pending
    snap = fe.poll(budget_ms=1)
    pending = [v["name"] for v in snap["variables"] if v.get("pending")]
    assert snap["complete"] is (not pending)


def test_each_comm_remembers_its_own_sizes_for_lv109(open_comm):
    """LV109 says which names grew since the same comm's previous snapshot."""
    tl = state.timeline()
    saved = list(tl.entries), tl.seq
    try:
        tl.entries.clear()
        for n in range(3):  # one cell, three runs, each leaving 20 MB more
            tl.seq += 1
            tl.entries.append(
                {
                    "seq": tl.seq,
                    "execution_count": n + 1,
                    "cell_id": "grow",
                    "delta_bytes": 20_000_000,
                }
            )
        ns: Dict[str, Any] = {"g": list(range(1000, 501_000))}
        one, two = Frontend(open_comm(ns)), Frontend(open_comm(ns))

        def grown(fe: Frontend) -> List[str]:
            snap = fe.poll(budget_ms=5000)
            found = [f for f in snap["findings"] if f["rule"] == "LV109"]
            assert len(found) == 1, snap["findings"]
            return found[0]["details"]["names"]

        assert grown(one) == ["g"]  # nothing seen before on this comm
        ns["g"].extend(range(600_000, 900_000))
        assert grown(two) == ["g"]
        # `one` compares with its own previous snapshot, not with `two`'s
        assert grown(one) == ["g"]
        assert grown(one) == []
    finally:
        tl.entries.clear()
        tl.entries.extend(saved[0])
        tl.seq = saved[1]

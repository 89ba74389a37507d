"""Benchmark of progressive snapshots (protocol 1.1) through the comm handler.

Drives ``handle`` the way the panel does: a ``snapshot`` of 200 ms, then
follow-ups with ``since`` = the last reply's ``seq`` until ``complete``.
Reports, per namespace, the number of follow-ups, the wall time of each
request and the JSON bytes of each reply:

(a) the issue's namespace: 3,000 dicts of 300 strings and one list of
    200,000 small lists (a complete pass in one request: ~1.5 s here);
(b) bench_inspect's namespace of 10,000 names holding ~1.7 GB (``--big``;
    peak RSS ~3 GB);
(c) a poll of (a) after completion with nothing changed, and after one change;
(d) the torture namespace (python-kernel-helper/tests/torture.py: 68 names,
    ~1.2 GB, one complete pass of about one budget): follow-ups until
    complete, then 10 more refreshes (each starts or continues a pass; how
    many said ``complete: false``), and the largest difference of a reported
    size from a complete pass.

Run: .venv/bin/python bench/kernel/bench_progressive.py [--big] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from memlens_kernel.comm.handlers import handle
from memlens_kernel.comm.protocol import PROTOCOL_VERSION
from memlens_kernel.snapshot.namespace import inspect_namespace
from memlens_kernel.snapshot.passes import SnapshotSession


def issue_namespace() -> dict[str, Any]:
    """3,000 dicts of 300 strings and one list of lists."""
    ns: dict[str, Any] = {
        f"d{i}": {f"k{j}": f"value {i} {j} " * 3 for j in range(300)} for i in range(3000)
    }
    ns["big"] = [[j, j + 1, str(j)] for j in range(200_000)]
    return ns


class Shell:
    """The two attributes the helper reads from an IPython shell."""

    def __init__(self, ns: dict[str, Any]) -> None:
        self.user_ns = ns
        self.user_ns_hidden: dict[str, Any] = {}


def poll_until_complete(ns: dict[str, Any], budget_ms: float = 200.0) -> dict[str, Any]:
    """Requests until ``complete``: follow-ups, per-request ms and reply bytes."""
    from memlens_kernel import state

    state.set_shell(Shell(ns))
    session = SnapshotSession()
    since = None
    rows: list[dict[str, Any]] = []
    for rid in range(1, 50):
        req = {"protocol": PROTOCOL_VERSION, "id": rid, "type": "snapshot", "budget_ms": budget_ms}
        if since is not None:
            req["since"] = since
        t0 = time.perf_counter()
        reply = handle(req, session)
        ms = (time.perf_counter() - t0) * 1000
        snap = reply["snapshot"]
        since = snap["seq"]
        rows.append(
            {
                "ms": round(ms, 1),
                "bytes": len(json.dumps(reply)),
                "sized": snap["progress"]["sized"],
                "total": snap["progress"]["total"],
                "delta": snap["delta"],
            }
        )
        if snap["complete"]:
            break
    return {"requests": rows, "follow_ups": len(rows) - 1, "session": session, "since": since}


def one_poll(session: SnapshotSession, since: int, rid: int) -> dict[str, Any]:
    req = {"protocol": PROTOCOL_VERSION, "id": rid, "type": "snapshot", "since": since}
    t0 = time.perf_counter()
    reply = handle(req, session)
    return {
        "ms": round((time.perf_counter() - t0) * 1000, 1),
        "bytes": len(json.dumps(reply)),
        "variables": len(reply["snapshot"]["variables"]),
        "complete": reply["snapshot"]["complete"],
    }


def torture_run(budget_ms: float = 200.0, refreshes: int = 10) -> dict[str, Any]:
    """(d): follow-ups to complete, incomplete refreshes after, worst size error."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, "..", "..", "python-kernel-helper", "tests"))
    from torture import torture_namespace

    ns = torture_namespace()
    t0 = time.perf_counter()
    full = inspect_namespace(ns, budget_ms=60_000, findings=False)
    one_pass = (time.perf_counter() - t0) * 1000
    truth = {v["name"]: v["size_bytes"] for v in full["variables"]}
    res = poll_until_complete(ns, budget_ms)
    session, since = res["session"], res["since"]
    incomplete = 0
    for rid in range(1000, 1000 + refreshes + 1):
        req = {"protocol": PROTOCOL_VERSION, "id": rid, "type": "snapshot", "since": since}
        snap = handle(req, session)["snapshot"]
        since = snap["seq"]
        incomplete += not snap["complete"]
    # a full reply (no `since`): every size as the panel shows it
    req = {"protocol": PROTOCOL_VERSION, "id": 2000, "type": "snapshot"}
    sizes = {v["name"]: v["size_bytes"] for v in handle(req, session)["snapshot"]["variables"]}
    worst = max(abs(sizes[n] - t) / t for n, t in truth.items() if t)
    return {
        "names": len(truth),
        "total_gib": round(full["total_bytes"] / 2**30, 2),
        "one_pass_ms": round(one_pass),
        "follow_ups": res["follow_ups"],
        "progress": [r["sized"] for r in res["requests"]],
        "incomplete_refreshes": f"{incomplete} of {refreshes + 1}",
        "worst_size_error": round(worst, 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", action="store_true", help="also the 10,000-name ~1.7 GB namespace")
    ap.add_argument("--json")
    args = ap.parse_args()
    out: dict[str, Any] = {}

    ns = issue_namespace()
    t0 = time.perf_counter()
    full = inspect_namespace(ns, budget_ms=60_000)
    one_pass = (time.perf_counter() - t0) * 1000
    print(f"(a) one complete pass: {one_pass:.0f} ms, {len(json.dumps(full)):,} JSON bytes")
    res = poll_until_complete(ns)
    for i, r in enumerate(res["requests"]):
        print(f"    request {i}: {r}")
    print(f"(a) complete after {res['follow_ups']} follow-ups of 200 ms")
    out["issue"] = {"one_pass_ms": round(one_pass), "requests": res["requests"]}

    session, since = res["session"], res["since"]
    idle = one_poll(session, since, 900)
    print(f"(c) poll after completion, nothing changed: {idle}")
    ns["d7"]["extra"] = "x" * 1000
    del ns["d8"]
    changed = one_poll(session, since + 1, 901)
    print(f"(c) poll after one change and one deletion: {changed}")
    out["poll_bytes"] = {"idle": idle, "changed": changed}

    torture = torture_run()
    print(f"(d) torture: {torture}")
    out["torture"] = torture

    if args.big:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from bench_inspect import build

        del ns, full
        big_ns = build()[0]
        res = poll_until_complete(big_ns)
        for i, r in enumerate(res["requests"]):
            print(f"    request {i}: {r}")
        print(f"(b) 10,000 names: complete after {res['follow_ups']} follow-ups of 200 ms")
        out["big"] = {"requests": res["requests"]}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()

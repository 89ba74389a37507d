"""``explain``: the process's resident memory split into parts that add up to it.

The parts, measured in this order and each capped to what the earlier ones
leave of the resident size (so they always add up to it):

1. ``variables``: the deep size of everything reachable from user names,
   each object once (the snapshot's ``total_bytes``, with its sizes reused);
2. ``hidden``: objects only IPython's output cache, the last exception or
   pyplot keeps alive (the snapshot's ``hidden``), each with the action that
   frees it;
3. ``allocator``: freed memory glibc and pymalloc keep (``allocator``);
4. ``baseline``: interpreter and imported libraries (``baseline``), the least
   exact figure, so it is the one capped;

(the reply lists them in the protocol's order: variables, hidden, baseline,
allocator, unattributed)
5. ``unattributed``: the rest (native memory of libraries that no sizer
   sees, fragmentation inside live pymalloc pools, the helper's own data).

Sizes of objects never touched (``np.empty``) or backed by files count in
full in ``variables`` but not in the resident size; the cap keeps the sum
right and ``exact: false`` says so.
"""

from __future__ import annotations

import time
from typing import Any, List, Optional

from .. import facts
from ..introspect import Namespace
from ..snapshot.namespace import sizes_snapshot
from ..snapshot.passes import SnapshotSession
from ..wire import ExplainPart, ExplainTop, Explanation, Hidden, LimitSource, Variable
from .allocator import allocator_free
from .baseline import Baseline

TOP = 5


def holder_fix(label: str) -> str:
    """The request that frees an object kept by ``label`` (a holder's label)."""
    if label.startswith("pyplot figure"):
        return "close_figures"
    if label.startswith(("Out", "_", "last execution result")):
        return "clear_output_cache"
    return "clear_last_error"  # sys.last_*, traceback frames, InteractiveTB.tb


def top_variables(variables: List[Variable], n: int = TOP) -> List[ExplainTop]:
    """The ``n`` largest sized variables."""
    sized = [v for v in variables if v.get("size_bytes")]
    sized.sort(key=lambda v: -(v["size_bytes"] or 0))
    return [{"name": v["name"], "bytes": int(v["size_bytes"] or 0)} for v in sized[:n]]


def _hidden_top(hidden: List[Hidden]) -> List[ExplainTop]:
    out: List[ExplainTop] = []
    for h in hidden[:TOP]:
        holder = h["holders"][0] if h["holders"] else "IPython"
        out.append(
            {
                "holder": holder,
                "type": h["type"],
                "bytes": h["size_bytes"],
                "fix": holder_fix(holder),
            }
        )
    return out


def split(
    rss: int,
    variables: int,
    hidden: int,
    allocator: int,
    baseline: int,
) -> List[int]:
    """The five parts' bytes: each capped to what the earlier leave; the rest last."""
    left = max(rss, 0)
    out = []
    for value in (variables, hidden, allocator, baseline):
        part = min(max(value, 0), left)
        out.append(part)
        left -= part
    out.append(left)
    return out


def explain(
    ns: Namespace,
    *,
    budget_ms: float,
    shell: Optional[Any],
    session: Optional[SnapshotSession],
    baseline: Baseline,
    limit: tuple[Optional[int], Optional[LimitSource]],
) -> Explanation:
    """The explanation payload (see the module docstring)."""
    t0 = time.perf_counter()
    snap, hidden_bytes = sizes_snapshot(ns, budget_ms=budget_ms, shell=shell, session=session)
    hidden = snap["hidden"]
    var_bytes = int(snap["total_bytes"])
    alloc = allocator_free()
    base = baseline.parts()
    rss = facts.rss_bytes() or 0
    sizes = split(rss, var_bytes, hidden_bytes, sum(alloc.values()), sum(base.values()))
    parts: List[ExplainPart] = [
        {
            "kind": "variables",
            "bytes": sizes[0],
            "top": top_variables(snap["variables"]),
            "exact": snap["complete"] and sizes[0] == var_bytes,
        },
        {
            "kind": "hidden",
            "bytes": sizes[1],
            "top": _hidden_top(hidden),
            "exact": sizes[1] == hidden_bytes,
        },
        {"kind": "baseline", "bytes": sizes[3], "exact": False, "detail": base},
        {
            "kind": "allocator",
            "bytes": sizes[2],
            "fix": "release_to_os",
            "exact": "glibc_free" in alloc and sizes[2] == sum(alloc.values()),
            "detail": alloc,
        },
        {"kind": "unattributed", "bytes": sizes[4]},
    ]
    return {
        "rss_bytes": rss,
        "limit_bytes": limit[0],
        "limit_source": limit[1],
        "parts": parts,
        "complete": snap["complete"],
        "elapsed_ms": round((time.perf_counter() - t0) * 1000, 3),
    }

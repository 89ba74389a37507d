"""LV112 native-memory-unseen: the process grew far more than the sized
variables, and a variable new since the last snapshot holds native memory
the helper cannot see.

After each cell the timeline has the growth of resident memory
(``delta_bytes``); the snapshot has the sizes. Growth not explained by the
variables that appeared or grew (shrinking ones are ignored: freed memory
often stays resident) is attributed to the new variables marked
``native: "unknown"``. Only names and sizes are remembered between
snapshots, never a reference to a user object.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from .. import state
from .base import FindingContext, finding, fmt_bytes

MIN_UNEXPLAINED = 100_000_000
_last: Dict[str, Any] = {"seq": 0, "sizes": {}}


def _sizes(variables: List[Dict[str, Any]]) -> Optional[Dict[str, int]]:
    """name -> size of every variable, or None if some are not sized yet."""
    sizes = {}
    for v in variables:
        size = v.get("size_bytes")
        if type(size) is not int:
            if v.get("pending"):
                return None
            continue
        sizes[v["name"]] = size
    return sizes


def lv112_native_unseen(ctx: FindingContext) -> List[Dict[str, Any]]:
    """LV112: >= 100 MB of resident growth unexplained, and a new opaque variable."""
    sizes = _sizes(ctx.variables or [])
    if sizes is None:
        return []  # an incomplete pass: wait for the sizes
    entries = list(state.timeline().entries)
    prev_seq, prev = _last["seq"], _last["sizes"]
    cells = [e for e in entries if e.get("seq", 0) > prev_seq]
    _last["seq"] = entries[-1]["seq"] if entries else prev_seq
    _last["sizes"] = sizes
    if not cells:
        return []
    grown = sum(e["delta_bytes"] for e in cells if type(e.get("delta_bytes")) is int)
    explained = sum(max(0, size - prev.get(name, 0)) for name, size in sizes.items())
    unexplained = grown - explained
    if unexplained < MIN_UNEXPLAINED:
        return []
    suspects = [
        v
        for v in ctx.variables
        if v.get("native") == "unknown" and prev.get(v["name"]) != v.get("size_bytes")
    ]
    if not suspects:
        return []
    share = unexplained // len(suspects)
    last = cells[-1]
    out = []
    for v in suspects:
        out.append(
            finding(
                "LV112",
                "warning",
                v["name"],
                f"`{v['name']}` ({v['type']}) probably holds ~{fmt_bytes(share)} "
                "the helper cannot see",
                size_bytes=share,
                details={
                    "type": v["type"],
                    "rss_growth_bytes": grown,
                    "sized_growth_bytes": explained,
                    "cell_id": last.get("cell_id"),
                    "execution_count": last.get("execution_count"),
                },
            )
        )
    return out

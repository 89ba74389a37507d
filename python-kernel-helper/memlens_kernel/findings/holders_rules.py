"""LV101 large-object and LV102 hidden-reference."""

from __future__ import annotations

from typing import Any, List, Optional, Set

from ..snapshot.holders import OUTPUT_NAME
from ..wire import Action, Finding, Variable
from .base import FindingContext, finding, fmt_bytes, size_of


class _LazyNames:
    """The set of variable names, built only when a finding needs it."""

    def __init__(self, variables: List[Variable]) -> None:
        self._variables = variables
        self._names: Optional[Set[str]] = None

    def __contains__(self, name: str) -> bool:
        if self._names is None:
            self._names = {v["name"] for v in self._variables}
        return name in self._names


def _holder_action(holder: str, names: _LazyNames) -> Action:
    if holder.startswith("Out[") or OUTPUT_NAME.match(holder) or holder == "last execution result":
        return {"type": "clear_output_cache"}
    if holder.startswith(("last exception", "sys.last", "InteractiveTB", "last execution error")):
        return {"type": "clear_last_error"}
    if holder.startswith("pyplot figure"):
        return {"type": "close_figures"}
    if holder in names:
        return {"type": "delete", "name": holder}
    return {"type": "collect"}


def lv101_large_objects(ctx: FindingContext) -> List[Finding]:
    """LV101: a user name whose deep size is at or above the threshold."""
    out: List[Finding] = []
    for var in ctx.large(ctx.threshold):
        size = size_of(var)
        if var.get("storage") in ("file", "lazy"):
            continue
        name = var["name"]
        msg = f"`{name}` holds {fmt_bytes(size)} ({var['type']})"
        if var["held_by"]:
            msg += "; `del` alone will not free it: also held by " + ", ".join(var["held_by"])
        out.append(
            finding(
                "LV101",
                "warning",
                name,
                msg,
                size_bytes=size,
                action={"type": "delete", "name": name},
                details={"held_by": list(var["held_by"])},
            )
        )
    return out


def lv102_hidden_references(ctx: FindingContext) -> List[Finding]:
    """LV102: a large object also kept alive by the output cache, an error or an alias."""
    names = _LazyNames(ctx.variables)
    out: List[Finding] = []
    done = set()  # ids of objects already reported under another of their names
    for var in ctx.large(ctx.threshold):
        size = size_of(var)
        holders = var["held_by"]
        if not holders:
            continue
        obj: Any = ctx.objects.get(var["name"])
        if obj is not None:
            if id(obj) in done:
                continue
            done.add(id(obj))
        # an output-cache or error holder first: its action frees the most
        holder = next((h for h in holders if h not in names), holders[0])
        listed = ", ".join(f"`{h}`" for h in holders)
        msg = f"`{var['name']}` ({fmt_bytes(size)}) is also kept alive by {listed}"
        out.append(
            finding(
                "LV102",
                "warning",
                var["name"],
                msg,
                size_bytes=size,
                action=_holder_action(holder, names),
                details={"holder": holder, "holders": list(holders)},
            )
        )
    for hid in ctx.hidden:
        size = hid["size_bytes"]
        if size < ctx.threshold:
            continue
        holder = hid["holders"][0]
        msg = (
            f"`{holder}` keeps a {fmt_bytes(size)} {hid['type']} alive that no variable "
            f"names any more"
        )
        out.append(
            finding(
                "LV102",
                "warning",
                holder,
                msg,
                size_bytes=size,
                action=_holder_action(holder, names),
                details={"holder": holder, "holders": list(hid["holders"])},
            )
        )
    return out

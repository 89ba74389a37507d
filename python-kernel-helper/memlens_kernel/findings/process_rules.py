"""LV105 uncollectable, LV106 figure-leak, LV107 many-instances."""

from __future__ import annotations

import gc
from typing import Dict, List, Optional

from ..introspect import has_slots, loaded_attr, public_type_name
from ..wire import CollectResult, Finding
from .base import FindingContext, finding, fmt_bytes

MAX_FIGURES = 10
MANY_INSTANCES = 100_000
# 3.11+: a slotted instance drops the values array and the managed-dict
# pre-header; measured 96 -> 56 bytes for three attributes.
SLOTS_SAVING_PER_INSTANCE = 40


def lv105_uncollectable(
    ctx: Optional[FindingContext] = None, collect_result: Optional[CollectResult] = None
) -> List[Finding]:
    """LV105: ``gc.garbage`` not empty, or a collection that freed cycles."""
    out: List[Finding] = []
    garbage = len(gc.garbage)
    if garbage:
        out.append(
            finding(
                "LV105",
                "warning",
                None,
                f"gc.garbage holds {garbage} uncollectable objects",
                details={"garbage": garbage},
            )
        )
    if collect_result and collect_result.get("collected", 0) > 0:
        n = collect_result["collected"]
        freed = collect_result.get("freed_bytes")
        extra = f", RSS dropped by {fmt_bytes(freed)}" if freed else ""
        out.append(
            finding(
                "LV105",
                "info",
                None,
                f"gc.collect() freed {n} objects kept only by reference cycles{extra}",
                size_bytes=freed,
                details={"collected": n},
            )
        )
    return out


def lv106_figures(ctx: FindingContext) -> List[Finding]:
    """LV106: more than ten open pyplot figures."""
    gcf = loaded_attr("matplotlib._pylab_helpers", "Gcf")
    if gcf is None:
        return []
    try:
        n = len(gcf.figs)
    except Exception:
        return []
    if n <= MAX_FIGURES:
        return []
    return [
        finding(
            "LV106",
            "warning",
            None,
            f"{n} pyplot figures are open; each keeps its data alive until closed",
            action={"type": "close_figures"},
            details={"figures": n},
        )
    ]


def lv107_instances(ctx: FindingContext) -> List[Finding]:
    """LV107: a class with >= 100k live instances (reachable, estimated) and no __slots__."""
    eng = ctx.engine
    if eng is None:
        return []
    names: Dict[type, str] = {}
    out: List[Finding] = []
    for t, count in eng.instance_counts.items():
        if count < MANY_INSTANCES or has_slots(t):
            continue
        name = public_type_name(t, names)
        saving = int(count * SLOTS_SAVING_PER_INSTANCE)
        msg = (
            f"~{int(count):,} instances of {name} without __slots__; __slots__ would "
            f"save ~{fmt_bytes(saving)}"
        )
        out.append(
            finding(
                "LV107",
                "info",
                None,
                msg,
                size_bytes=int(eng.instance_bytes.get(t, 0)),
                details={"class": name, "instances": int(count), "saving_bytes": saving},
            )
        )
    return out

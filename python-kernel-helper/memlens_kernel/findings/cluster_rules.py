"""LV110 cluster-memory-pressure, from the snapshot's ``clusters``."""

from __future__ import annotations

from typing import List, Sequence

from ..wire import Cluster, Finding
from .base import FindingContext, finding, fmt_bytes

PRESSURE_FRACTION = 0.80


def lv110_cluster_pressure(ctx: FindingContext) -> List[Finding]:
    """LV110 on the snapshot's clusters (see ``cluster_pressure``)."""
    return cluster_pressure(ctx.clusters)


def cluster_pressure(clusters: Sequence[Cluster]) -> List[Finding]:
    """A worker at ≥ 80% of its memory limit, or spilling to disk.

    Workers without a memory limit are never flagged: the scheduler does not
    pause, spill or restart them for memory.
    """
    out: List[Finding] = []
    for cluster in clusters:
        for w in cluster.get("workers") or []:
            limit = w.get("memory_limit")
            if not limit:
                continue
            used = w["memory_bytes"]
            near = used >= PRESSURE_FRACTION * limit
            if not near and not w["spilled_bytes"]:
                continue
            what = (
                f"{fmt_bytes(used)} of its {fmt_bytes(limit)} limit ({used / limit:.0%})"
                if near
                else f"spilled {fmt_bytes(w['spilled_bytes'])} to disk"
            )
            message = (
                f"dask worker {w['name']} ({w['address']}) of {cluster['variable']}: {what}; "
                f"the scheduler reports {fmt_bytes(w['managed_bytes'])} managed, "
                f"{fmt_bytes(w['unmanaged_bytes'])} unmanaged, "
                f"{fmt_bytes(w['spilled_bytes'])} spilled. Reduce on the workers, "
                "release persisted collections you no longer need (del, client.cancel), "
                "or give the workers more memory."
            )
            out.append(
                finding(
                    "LV110",
                    "warning",
                    cluster["variable"],
                    message,
                    size_bytes=used,
                    details={"worker": w["address"], "scheduler": cluster.get("scheduler")},
                )
            )
    return out

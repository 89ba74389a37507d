"""What every live finding carries, and the context rules read."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Literal, Optional, Sequence, Tuple

from ..introspect import Namespace
from ..wire import Action, Cluster, Finding, Hidden, TimelineEntry, Variable

# LV101's default threshold (the ``snapshot`` request's ``threshold_bytes``).
DEFAULT_THRESHOLD_BYTES = 50 * 2**20
Severity = Literal["error", "warning", "info", "hint"]
# Rules look at objects of at least this size (or the large-object threshold,
# if lower) only: the snapshot keeps ``objects`` for those names alone.
OBJECTS_MIN_BYTES = 2**20


def fmt_bytes(n: float) -> str:
    """Human-readable IEC size, one decimal: ``812.3 MiB`` (whole bytes: ``512 B``).

    Same output as the frontend's ``formatBytes`` (src/common/bytes.ts):
    a value that would round to 1024.0 moves to the next unit.
    """
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")
    sign = "-" if n < 0 else ""
    value = abs(float(n))
    unit = 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024.0
        unit += 1
    if 0 < unit < len(units) - 1 and round(value, 1) >= 1024:
        value /= 1024.0
        unit += 1
    text = f"{value:.0f}" if unit == 0 else f"{value:.1f}"
    return f"{sign}{text} {units[unit]}"


def finding(
    rule: str,
    severity: Severity,
    variable: Optional[str],
    message: str,
    *,
    size_bytes: Optional[int] = None,
    action: Optional[Action] = None,
    details: Optional[Dict[str, object]] = None,
) -> Finding:
    """One live finding in the shape the protocol schema defines."""
    return {
        "rule": rule,
        "severity": severity,
        "variable": variable,
        "message": message,
        "size_bytes": size_bytes,
        "action": action,
        "details": details or {},
    }


@dataclass
class RuleMemory:
    """What live rules remember between snapshots: names, sizes, sequence numbers.

    One per comm (its ``SnapshotSession``) and one for ``inspect_namespace``
    (``state.HELPER``); never a reference to a user object.
    """

    # LV109: name -> bytes in the previous snapshot
    sizes: Dict[str, int] = field(default_factory=dict)
    # LV112: the last timeline entry seen, and the sizes at that point
    native_seq: int = 0
    native_sizes: Dict[str, int] = field(default_factory=dict)


def size_of(var: Variable) -> int:
    """A record's size; 0 while pending (rules read only sized records)."""
    return var["size_bytes"] or 0


class FindingContext:
    """Facts of one snapshot; ``objects`` is released right after the rules run.

    ``clusters`` are the snapshot's dask clusters, ``timeline`` the per-cell
    history, ``memory`` what the rules remember between the snapshots of the
    same comm (rules update it for the next one), ``limit`` the memory limit
    ``(bytes, source)``.
    """

    def __init__(
        self,
        variables: List[Variable],
        objects: Namespace,
        hidden: List[Hidden],
        engine: Any,
        threshold: int,
        deadline: float,
        shell: Any,
        *,
        clusters: Sequence[Cluster] = (),
        timeline: Sequence[TimelineEntry] = (),
        memory: Optional[RuleMemory] = None,
        limit: Tuple[Optional[int], Optional[str]] = (None, None),
    ) -> None:
        self.variables = variables
        self.objects = objects
        self.hidden = hidden
        self.engine = engine
        self.threshold = threshold
        self.deadline = deadline
        self.shell = shell
        self.clusters = clusters
        self.timeline = timeline
        self.memory = memory if memory is not None else RuleMemory()
        # the memory limit and where it comes from (LV111)
        self.limit = limit
        self._sized: Optional[List[Variable]] = None
        self._large: Optional[List[Variable]] = None
        self._floor = min(threshold, OBJECTS_MIN_BYTES)

    def time_left(self) -> float:
        """Seconds left in the snapshot budget."""
        return self.deadline - time.perf_counter()

    def sized(self) -> List[Variable]:
        """Variables that have a size."""
        if self._sized is None:
            self._sized = [v for v in self.variables if v.get("size_bytes") is not None]
        return self._sized

    def large(self, min_bytes: int) -> List[Variable]:
        """Variables of at least ``min_bytes`` (at least ``OBJECTS_MIN_BYTES`` or the
        threshold for rules that read ``objects``), in snapshot order."""
        if min_bytes < self._floor:
            return [v for v in self.sized() if size_of(v) >= min_bytes]
        if self._large is None:
            floor = self._floor
            self._large = [
                v for v in self.variables if v.get("size_bytes") is not None and size_of(v) >= floor
            ]
        return [v for v in self._large if size_of(v) >= min_bytes]

    def release(self) -> None:
        """Drop references to user objects."""
        self.objects = {}
        self.engine = None
        self.shell = None

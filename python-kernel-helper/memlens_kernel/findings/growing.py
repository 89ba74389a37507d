"""LV109 growing-cell: the same cell leaves the process bigger run after run.

Uses the timeline's ``delta_bytes`` (after - before, not the peak) of the
last runs of each cell id, and the sizes of names the same comm saw in its
previous snapshot (``ctx.memory.sizes``: name -> bytes only; no reference
to a user object is kept) to say which names grew.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

from ..wire import Finding, TimelineEntry, Variable
from .base import FindingContext, finding, fmt_bytes

MIN_RUNS = 3
MIN_GROWTH = 10_000_000


def _growing_cells(
    entries: Sequence[TimelineEntry],
) -> Dict[str, Tuple[List[int], Optional[int]]]:
    """cell id -> (deltas of its last ``MIN_RUNS`` runs, last execution count)
    for the cells whose every one of those runs grew enough."""
    runs: Dict[str, List[Optional[int]]] = {}
    counts: Dict[str, Optional[int]] = {}
    for entry in entries:
        cell_id = entry.get("cell_id")
        if type(cell_id) is str:
            runs.setdefault(cell_id, []).append(entry.get("delta_bytes"))
            counts[cell_id] = entry.get("execution_count")
    out: Dict[str, Tuple[List[int], Optional[int]]] = {}
    for cell_id, deltas in runs.items():
        last = [d for d in deltas[-MIN_RUNS:] if type(d) is int and d >= MIN_GROWTH]
        if len(last) == MIN_RUNS:
            out[cell_id] = (last, counts[cell_id])
    return out


def _grown_names(variables: List[Variable], previous: Dict[str, int]) -> List[str]:
    """Names bigger than in ``previous`` (which then holds this snapshot's sizes)."""
    grown = []
    sizes = {}
    for var in variables:
        name, size = var.get("name"), var.get("size_bytes")
        if type(name) is str and type(size) is int:
            sizes[name] = size
            if size - previous.get(name, 0) >= MIN_GROWTH / MIN_RUNS:
                grown.append(name)
    previous.clear()
    previous.update(sizes)
    return grown


def lv109_growing_cell(ctx: FindingContext) -> List[Finding]:
    """LV109: a cell run 3+ times, each run leaving the process >= 10 MB bigger."""
    grown = _grown_names(ctx.variables or [], ctx.memory.sizes)
    cells = _growing_cells(ctx.timeline)
    out: List[Finding] = []
    for cell_id, (deltas, count) in cells.items():
        what = f"; grew: {', '.join(grown[:5])}" if grown else ""
        # the user knows a cell by its prompt number, not its id
        cell = f"the cell last run as [{count}]" if type(count) is int else f"cell {cell_id}"
        out.append(
            finding(
                "LV109",
                "warning",
                grown[0] if len(grown) == 1 else None,
                f"{cell} left the process bigger on each of its last {MIN_RUNS} runs "
                f"({', '.join('+' + fmt_bytes(d) for d in deltas)}){what}",
                size_bytes=sum(deltas),
                details={"cell_id": cell_id, "deltas": deltas, "names": grown},
            )
        )
    return out

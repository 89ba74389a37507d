"""Live findings LV101-LV112 computed from one snapshot's facts."""

from __future__ import annotations

from typing import Any, Dict, List

from ..introspect import exc_message
from .arrays import dtype_finding, lv103_dtypes, lv104_sparse, lv108_duplicates
from .base import FindingContext, finding, fmt_bytes
from .growing import lv109_growing_cell
from .holders_rules import lv101_large_objects, lv102_hidden_references
from .native import lv112_native_unseen
from .process_rules import lv105_uncollectable, lv106_figures, lv107_instances

RULES = (
    lv101_large_objects,
    lv102_hidden_references,
    lv103_dtypes,
    lv104_sparse,
    lv105_uncollectable,
    lv106_figures,
    lv107_instances,
    lv108_duplicates,
    lv109_growing_cell,
    lv112_native_unseen,
)


def run_findings(ctx: FindingContext) -> List[Dict[str, Any]]:
    """Every rule; a failing rule is skipped, never raised."""
    out: List[Dict[str, Any]] = []
    for rule in RULES:
        try:
            out.extend(rule(ctx))
        except Exception as exc:
            out.append(
                finding("LV000", "hint", None, f"{rule.__name__} failed: {exc_message(exc)}")
            )
    return out


__all__ = [
    "FindingContext",
    "dtype_finding",
    "finding",
    "fmt_bytes",
    "lv105_uncollectable",
    "run_findings",
]

"""Live findings LV101-LV112, computed from one snapshot's facts.

``RULES`` is the one list of live rules: the snapshot runs them in this
order, ``hello`` advertises their ids (``LIVE_RULES``). Adding a rule is one
entry here (its id and the function that takes a ``FindingContext``).
"""

from __future__ import annotations

from typing import Callable, List, NamedTuple, Tuple

from ..introspect import exc_message
from ..wire import Finding
from .arrays import dtype_finding, lv103_dtypes, lv104_sparse, lv108_duplicates
from .base import DEFAULT_THRESHOLD_BYTES, FindingContext, finding, fmt_bytes
from .cluster_rules import lv110_cluster_pressure
from .growing import lv109_growing_cell
from .holders_rules import lv101_large_objects, lv102_hidden_references
from .limit_rules import lv111_near_limit
from .native import lv112_native_unseen
from .process_rules import lv105_uncollectable, lv106_figures, lv107_instances


class Rule(NamedTuple):
    """One live rule: its id and what computes its findings."""

    id: str
    check: Callable[[FindingContext], List[Finding]]


RULES: Tuple[Rule, ...] = (
    Rule("LV101", lv101_large_objects),
    Rule("LV102", lv102_hidden_references),
    Rule("LV103", lv103_dtypes),
    Rule("LV104", lv104_sparse),
    Rule("LV105", lv105_uncollectable),
    Rule("LV106", lv106_figures),
    Rule("LV107", lv107_instances),
    Rule("LV108", lv108_duplicates),
    Rule("LV109", lv109_growing_cell),
    Rule("LV110", lv110_cluster_pressure),
    Rule("LV111", lv111_near_limit),
    Rule("LV112", lv112_native_unseen),
)
LIVE_RULES: Tuple[str, ...] = tuple(rule.id for rule in RULES)


def run_findings(ctx: FindingContext) -> List[Finding]:
    """Every rule; a failing rule is skipped, never raised."""
    out: List[Finding] = []
    for rule in RULES:
        try:
            out.extend(rule.check(ctx))
        except Exception as exc:
            out.append(finding("LV000", "hint", None, f"{rule.id} failed: {exc_message(exc)}"))
    return out


__all__ = [
    "DEFAULT_THRESHOLD_BYTES",
    "LIVE_RULES",
    "RULES",
    "FindingContext",
    "Rule",
    "dtype_finding",
    "finding",
    "fmt_bytes",
    "lv105_uncollectable",
    "run_findings",
]

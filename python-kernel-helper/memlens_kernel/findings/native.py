"""LV112 native-memory-unseen: a cell grew the process far more than the
variables it created explain, and one of them holds native memory the helper
cannot see.

After each cell the timeline has the growth of resident memory
(``delta_bytes``). The names a cell bound come from its source in IPython's
history (parsed with ``ast``, never run); without a shell, from the names
that appeared or changed size since the previous snapshot. Growth the sized
variables of that cell do not explain is attributed to those marked
``native: "unknown"``. Only names, sizes and sequence numbers are
remembered (``ctx.memory``, per comm), never a reference to a user object.
"""

from __future__ import annotations

import ast
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from ..wire import Finding, TimelineEntry, Variable
from .base import FindingContext, finding, fmt_bytes

MIN_UNEXPLAINED = 100_000_000
MAX_CELLS = 50  # the most recent timeline entries looked at
# execution count -> (source, names it binds): a cell is parsed once (a cache:
# the source is compared before use)
_bound: Dict[int, Tuple[str, Optional[Set[str]]]] = {}


class _Bound(ast.NodeVisitor):
    """Names a cell binds at module level (function and class bodies skipped)."""

    def __init__(self) -> None:
        self.names: Set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self.names.add(node.id)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.names.add(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.names.add(node.name)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.names.add(alias.asname or alias.name.split(".", 1)[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name != "*":
                self.names.add(alias.asname or alias.name)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        return

    def _comprehension(self, node: ast.AST) -> None:
        return  # its targets are local to it

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension


def bound_names(source: str) -> Optional[Set[str]]:
    """Names ``source`` binds in the namespace it runs in, or None if it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    visitor = _Bound()
    visitor.visit(tree)
    return visitor.names


def _history(shell: Any) -> Optional[List[Any]]:
    """IPython's transformed inputs by execution count (magics already Python)."""
    manager = getattr(shell, "history_manager", None) if shell is not None else None
    hist = getattr(manager, "input_hist_parsed", None) if manager is not None else None
    return hist if type(hist) is list else None


def _sizes(variables: List[Variable]) -> Optional[Dict[str, int]]:
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


def _by_source(
    entries: Sequence[TimelineEntry], history: List[Any], opaque: Set[str]
) -> List[Tuple[TimelineEntry, Set[str]]]:
    """(cell entry, names it bound) for the last cell binding each opaque name."""
    out: List[Tuple[TimelineEntry, Set[str]]] = []
    left = set(opaque)
    for entry in reversed(entries[-MAX_CELLS:]):
        if not left:
            break
        count = entry.get("execution_count")
        if type(count) is not int or not 0 < count < len(history):
            continue
        source = history[count]
        if type(source) is not str:
            continue
        cached = _bound.get(count)
        if cached is None or cached[0] is not source:
            if len(_bound) >= 4 * MAX_CELLS:
                _bound.clear()
            cached = _bound[count] = (source, bound_names(source))
        names = cached[1]
        if not names or not names & left:
            continue
        left -= names
        delta = entry.get("delta_bytes")
        if type(delta) is int and delta >= MIN_UNEXPLAINED:
            out.append((entry, names))
    return out


def _by_snapshot(
    entries: Sequence[TimelineEntry], sizes: Dict[str, int], prev: Dict[str, int], prev_seq: int
) -> List[Tuple[TimelineEntry, Set[str]]]:
    """Without sources: the cells since the previous snapshot, as one, and the
    names that appeared or changed size since then."""
    cells = [e for e in entries if e.get("seq", 0) > prev_seq]
    if not cells:
        return []
    grown = sum(d for d in (e.get("delta_bytes") for e in cells) if type(d) is int)
    names = {n for n, s in sizes.items() if prev.get(n) != s}
    last = cells[-1].copy()
    last["delta_bytes"] = grown
    return [(last, names)]


def lv112_native_unseen(ctx: FindingContext) -> List[Finding]:
    """LV112: >= 100 MB of a cell's resident growth unexplained, blamed on its
    new variables that hold native memory the helper cannot see."""
    sizes = _sizes(ctx.variables or [])
    if sizes is None:
        return []  # an incomplete pass: wait for the sizes
    entries = ctx.timeline
    memory = ctx.memory
    prev_seq, prev = memory.native_seq, memory.native_sizes
    memory.native_seq = entries[-1]["seq"] if entries else prev_seq
    memory.native_sizes = sizes
    types = {v["name"]: v["type"] for v in ctx.variables if v.get("native") == "unknown"}
    if not types or not entries:
        return []
    history = _history(ctx.shell)
    if history is not None:
        cells = _by_source(entries, history, set(types))
        prev = {}
    else:
        cells = _by_snapshot(entries, sizes, prev, prev_seq)
    out: List[Finding] = []
    for entry, names in cells:
        delta = entry.get("delta_bytes")
        if type(delta) is not int:
            continue
        # sizes that shrank are not subtracted: freed memory often stays resident
        explained = sum(max(0, sizes[n] - prev.get(n, 0)) for n in names if n in sizes)
        unexplained = delta - explained
        suspects = sorted(n for n in names if n in types)
        if unexplained < MIN_UNEXPLAINED or not suspects:
            continue
        share = unexplained // len(suspects)
        for name in suspects:
            out.append(
                finding(
                    "LV112",
                    "warning",
                    name,
                    f"`{name}` ({types[name]}) probably holds ~{fmt_bytes(share)} "
                    "the helper cannot see",
                    size_bytes=share,
                    details={
                        "type": types[name],
                        "rss_growth_bytes": delta,
                        "sized_growth_bytes": explained,
                        "cell_id": entry.get("cell_id"),
                        "execution_count": entry.get("execution_count"),
                    },
                )
            )
    return out

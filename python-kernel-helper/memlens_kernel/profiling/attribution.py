"""Which cell line allocated each block still traced when a profiled cell ends.

A block whose traceback (``FRAMES`` frames, most recent first) reaches the
cell's code belongs to the cell line in the oldest such frame: the top-level
line, also for allocations in the functions it called. Blocks allocated
deeper than the traceback reaches are placed by what the line events saw:

- blocks made while importing a module (their traceback passes through
  ``importlib``) go to the cell's ``import`` lines;
- the rest go to the lines whose run left traced memory bigger than their
  own blocks explain, in proportion to that unexplained growth. A line that
  frees more than it allocates (``del x``, a rebinding) first cancels the
  growth of the earlier line closest in size at or above what it freed (the
  latest on a tie): a free usually drops whole objects one line made, so
  that line gets none of the rest.
"""

from __future__ import annotations

import ast
import linecache
import tracemalloc
from typing import Dict, List, Optional, Set, Tuple

_IMPORTLIB = "<frozen importlib._bootstrap"


def traced_by_line(filename: str) -> Tuple[Dict[int, int], int, int]:
    """``(bytes per cell line, deep bytes, deep bytes made by imports)``."""
    net: Dict[int, int] = {}
    deep = imports = 0
    # one traceback tuple is shared by every block allocated at that place
    cache: Dict[int, Optional[int]] = {}
    # raw traces: (domain, size, frames most recent first, total frames)
    for trace in tracemalloc._get_traces():  # type: ignore[attr-defined]
        frames = trace[2]
        key = id(frames)
        line = cache.get(key, 0)
        if line == 0:
            line = None
            for frame_file, lineno in frames:
                if frame_file == filename:
                    line = lineno
            if line is None:
                if trace[3] <= len(frames):
                    line = -1  # a whole stack without the cell: another thread
                elif any(f.startswith(_IMPORTLIB) for f, _ in frames):
                    line = -2
            cache[key] = line
        if line is None:
            deep += trace[1]
        elif line == -2:
            imports += trace[1]
        elif line > 0:
            net[line] = net.get(line, 0) + trace[1]
    return net, deep, imports


def import_lines(filename: str) -> Set[int]:
    """Lines of the compiled cell that hold an ``import`` statement."""
    try:
        tree = ast.parse("".join(linecache.getlines(filename)))
    except (SyntaxError, ValueError):
        return set()
    return {
        node.lineno for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
    }


def charge_deep(
    net: Dict[int, int], grew: Dict[int, int], deep: int, imports: int, importing: Set[int]
) -> None:
    """Add deep bytes to ``net`` (see the module docstring); ``grew`` is in run order."""
    unexplained = {line: change - net.get(line, 0) for line, change in grew.items()}
    _cancel_frees(unexplained)
    if imports > 0:
        targets = [line for line in unexplained if line in importing] or list(importing)
        _share(net, unexplained, targets, imports)
    if deep > 0:
        _share(net, unexplained, list(unexplained), deep)


def _cancel_frees(unexplained: Dict[int, int]) -> None:
    order: List[int] = list(unexplained)
    for i, line in enumerate(order):
        freed = -unexplained[line]
        if freed <= 0:
            continue
        earlier = [o for o in reversed(order[:i]) if unexplained[o] > 0]
        fits = [o for o in earlier if unexplained[o] >= freed]
        match = min(fits, key=lambda o: unexplained[o]) if fits else None
        for other in [match] if match is not None else earlier:
            taken = min(freed, unexplained[other])
            unexplained[other] -= taken
            freed -= taken
            if freed <= 0:
                break
        unexplained[line] = 0


def _share(net: Dict[int, int], unexplained: Dict[int, int], lines: List[int], total: int) -> None:
    """Give ``total`` bytes to ``lines`` in proportion to their unexplained growth."""
    weights = {line: max(0, unexplained.get(line, 0)) for line in lines}
    weight = sum(weights.values())
    if weight <= 0:
        if lines:  # nothing to go by: the first candidate line
            net[lines[0]] = net.get(lines[0], 0) + total
        return
    scale = min(1.0, total / weight)
    for line, w in weights.items():
        if w:
            share = int(w * scale)
            net[line] = net.get(line, 0) + share
            unexplained[line] = w - share

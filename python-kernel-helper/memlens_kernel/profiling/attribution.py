"""Which cell line allocated each block still traced when a profiled cell ends.

A block whose traceback reaches a line of the cell's own code (a top-level
statement, a loop, a comprehension; not a ``def`` body) belongs to that
statement's line. The others are *deep* (allocated in called functions):
they are summed per allocation site at statement boundaries, each
segment between two boundaries is charged what it left behind
(``deep_by_segment``), and the lines of a segment share it (``spread``).

``charge_deep`` is the older placement for blocks nothing else places: the
lines whose run left traced memory bigger than their own blocks explain
share them in proportion to that unexplained growth. A line that frees more
than it allocates (``del x``, a rebinding) first cancels the growth of the
earlier line closest in size at or above what it freed (the latest on a
tie): a free usually drops whole objects one line made, so that line gets
none of the rest.
"""

from __future__ import annotations

import tracemalloc
from typing import Dict, FrozenSet, List, Set, Tuple, Union

Site = Tuple[Tuple[str, int], ...]


def _classify(
    filename: str, lines: Dict[int, int], own_files: FrozenSet[str], frames: Site, total: int
) -> Union[int, Site, None]:
    """A cell statement line, a deep allocation site, or None (ignore)."""
    line = None
    for frame_file, lineno in frames:
        if frame_file == filename and lineno in lines:
            line = lines[lineno]  # the oldest cell frame wins
    if line is not None:
        return line
    if not frames or frames[0][0] in own_files:
        return None  # the profiler's own bookkeeping
    if total <= len(frames):
        return None  # a whole stack without the cell: another thread
    return frames


def traced_by_line(
    filename: str, lines: Dict[int, int], own_files: FrozenSet[str]
) -> Tuple[Dict[int, int], Dict[Site, int]]:
    """``(bytes per cell statement line, bytes per deep allocation site)``."""
    net: Dict[int, int] = {}
    deep: Dict[Site, int] = {}
    # one traceback tuple is shared by every block allocated at that place
    cache: Dict[int, Union[int, Site, None]] = {}
    # raw traces: (domain, size, frames most recent first, total frames)
    for trace in tracemalloc._get_traces():  # type: ignore[attr-defined]
        frames = trace[2]
        key = id(frames)
        if key in cache:
            where = cache[key]
        else:
            where = cache[key] = _classify(filename, lines, own_files, frames, trace[3])
        if where is None:
            continue
        if isinstance(where, int):
            net[where] = net.get(where, 0) + trace[1]
        else:
            deep[where] = deep.get(where, 0) + trace[1]
    return net, deep


def deep_sites(filename: str, lines: Dict[int, int], own_files: FrozenSet[str]) -> Dict[Site, int]:
    """Bytes per deep allocation site now (a statement boundary)."""
    return traced_by_line(filename, lines, own_files)[1]


def deep_by_segment(snaps: List[Dict[Site, int]]) -> List[int]:
    """Deep bytes still held at the end that each segment allocated.

    ``snaps[k]`` is the deep bytes per site at the k-th summed boundary
    (the last one at the end). A site's growth between two boundaries
    belongs to the segment between them; a site that shrinks gives back
    the most recent growth first.
    """
    per_segment = [0] * max(0, len(snaps) - 1)
    sites: Set[Site] = set()
    for snap in snaps:
        sites.update(snap)
    for site in sites:
        stack: List[List[int]] = []
        before = snaps[0].get(site, 0)
        for k in range(1, len(snaps)):
            now = snaps[k].get(site, 0)
            change = now - before
            before = now
            if change > 0:
                stack.append([k - 1, change])
            while change < 0 and stack:
                taken = min(-change, stack[-1][1])
                stack[-1][1] -= taken
                change += taken
                if stack[-1][1] == 0:
                    stack.pop()
        for segment, amount in stack:
            per_segment[segment] += amount
    return per_segment


def spread(net: Dict[int, int], grew: Dict[int, int], total: int) -> None:
    """Give all of ``total`` to the lines of ``grew`` (in run order).

    One line takes it all; several share it in proportion to the growth
    their own blocks do not explain, after frees cancelled the growth they
    undid (``_cancel_frees``).
    """
    if not grew:
        return
    if len(grew) == 1:
        line = next(iter(grew))
        net[line] = net.get(line, 0) + total
        return
    unexplained = {line: change - net.get(line, 0) for line, change in grew.items()}
    _cancel_frees(unexplained)
    weights = {line: w for line, w in unexplained.items() if w > 0}
    weight = sum(weights.values())
    if weight <= 0:
        line = max(grew, key=lambda ln: grew[ln])
        net[line] = net.get(line, 0) + total
        return
    given = 0
    items = list(weights.items())
    for i, (line, w) in enumerate(items):
        share = total - given if i == len(items) - 1 else int(total * w / weight)
        given += share
        net[line] = net.get(line, 0) + share


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

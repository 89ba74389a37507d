"""Which cell line allocated each block still traced when a profiled cell ends.

A block whose traceback reaches a line of the cell's own code (a top-level
statement, a loop, a comprehension; not a ``def`` body) belongs to that
statement's line. The others are *deep* (allocated in called functions):
they are summed per allocation site at statement boundaries, each
segment between two boundaries is charged what it left behind
(``deep_by_segment``), and the lines of a segment share it (``spread``).

Reading the traces is done in C (``read_traces``, ~0.3 us a trace); the
summing (~0.1 us a trace) runs after the trace stopped, or, at a boundary
while it runs, only over the deep blocks selected in C (while the trace
runs, every allocation made costs a stack walk).
"""

from __future__ import annotations

import tracemalloc
from itertools import compress
from operator import itemgetter
from typing import Any, Dict, FrozenSet, List, Set, Tuple, Union

Site = Tuple[Tuple[str, int], ...]
# a raw trace: (domain, size, frames most recent first, total frames)
_FRAMES = itemgetter(2)


def read_traces() -> List[Any]:
    """The raw traces now (tracemalloc's own C copy; its allocations are not traced)."""
    return tracemalloc._get_traces()  # type: ignore[attr-defined,no-any-return]


def _place(
    filename: str, lines: Dict[int, int], own_files: FrozenSet[str], frames: Site
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
    return frames


def traced_by_line(
    filename: str,
    lines: Dict[int, int],
    own_files: FrozenSet[str],
    traces: List[Any],
    deep_only: bool = False,
) -> Tuple[Dict[int, int], Dict[Site, int]]:
    """``(bytes per cell statement line, bytes per deep allocation site)`` of ``traces``.

    ``deep_only``: leave the cell's lines out (a boundary, while tracing).
    """
    # one frames tuple is shared by every block allocated at that place:
    # place each once
    places = {
        frames: _place(filename, lines, own_files, frames) for frames in set(map(_FRAMES, traces))
    }
    if deep_only:
        # only the deep blocks are summed (selected in C: summing allocates)
        wanted = {frames for frames, where in places.items() if type(where) is tuple}
        traces = list(compress(traces, map(wanted.__contains__, map(_FRAMES, traces))))
    sums: Dict[Site, int] = {}  # bytes per place, allocated below the cell's frame
    whole: Dict[Site, int] = {}  # ... with the whole stack recorded (another thread)
    for _, size, frames, depth in traces:
        if depth > len(frames):
            sums[frames] = sums.get(frames, 0) + size
        else:
            whole[frames] = whole.get(frames, 0) + size
    net: Dict[int, int] = {}
    deep: Dict[Site, int] = {}
    for frames, size in sums.items():
        where = places[frames]
        if isinstance(where, int):
            net[where] = net.get(where, 0) + size
        elif where is not None:
            deep[where] = size
    for frames, size in whole.items():
        where = places[frames]
        if isinstance(where, int):
            net[where] = net.get(where, 0) + size
    return net, deep


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


def _cancel_frees(unexplained: Dict[int, int]) -> None:
    """A line that frees more than it allocates (``del x``, a rebinding) first
    cancels the growth of the earlier line closest in size at or above what
    it freed (the latest on a tie): a free usually drops whole objects one
    line made, so that line gets none of the rest."""
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

"""One profiled cell run: ``tracemalloc`` for net bytes, line events for peaks.

Net bytes: at the end of the run, every block still traced is charged to a
cell line (``attribution``). Tracebacks keep only ``FRAMES`` frames from the
allocation:
tracemalloc's cost grows with every frame it records (on a cell of a million
small objects: 8x the plain run with 1 frame, 12x with 4, 17x with 8, 30x
with 16). 8 frames reach the cell from numpy, from pandas' constructors and
methods, from comprehensions and from functions a few calls deep; with 4, a
DataFrame built from arrays is allocated below the cut.

Peak bytes: a ``sys.settrace`` line tracer runs only in the cell's
top-level frames; at each line boundary it reads ``get_traced_memory()``
and resets the peak, so a line's peak is the most traced memory held at once
above what was held when the line started.

A trace the user started is used as it is (its traceback limit, no
``reset_peak``: per-line peaks then fall back to the increase seen at line
boundaries, and deep blocks are not charged) and is never stopped. A trace
function the user set (a debugger) is left alone: line peaks are skipped and
the limitation reported.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from . import attribution

FRAMES = 8
MIN_BYTES = 1024
# Line events one top-level statement may send before its lines stop being
# traced one by one (a tight loop would otherwise cost ~5 us per line run).
LINE_EVENT_LIMIT = 20_000


class ProfileSession:
    """Trace one cell run; ``finish()`` always stops what ``start()`` started.

    ``filename`` is the cell's compiled filename when known (the magic);
    otherwise the first top-level frame called from IPython's ``run_code``
    gives it. ``line_offset`` maps code line numbers to the cell as written.
    """

    def __init__(self, filename: Optional[str] = None, line_offset: int = 0) -> None:
        self.filename = filename
        self.line_offset = line_offset
        self.started_tracemalloc = False
        self.user_trace: Optional[Callable[..., Any]] = None
        self.active = False
        self.notes: List[str] = []
        self._peaks: Dict[int, int] = {}
        self._counts: Dict[int, int] = {}
        # traced memory after minus before, summed over a line's runs
        self._grew: Dict[int, int] = {}
        # line events per top-level frame (id), and lines whose loop stopped them
        self._events: Dict[int, int] = {}
        self._partial: Set[int] = set()
        self._global_trace: Optional[Callable[..., Any]] = None
        self._line: Optional[int] = None
        self._line_base = 0
        self._base0 = 0
        self._max_top = 0
        self._t0 = 0.0
        self.duration_ms = 0.0

    # -- start / stop ---------------------------------------------------
    def start(self) -> None:
        """Start tracing (idempotent per session)."""
        if self.active:
            return
        self.active = True
        self._t0 = time.perf_counter()
        if tracemalloc.is_tracing():
            if tracemalloc.get_traceback_limit() < FRAMES:
                self.notes.append(
                    "your tracemalloc trace keeps fewer than "
                    f"{FRAMES} frames: allocations in called functions may be missed"
                )
        else:
            tracemalloc.start(FRAMES)
            self.started_tracemalloc = True
        self._base0 = self._max_top = tracemalloc.get_traced_memory()[0]
        self.user_trace = sys.gettrace()
        if self.user_trace is None:
            self._global_trace, _ = self._make_tracers()
            sys.settrace(self._global_trace)
        else:
            self.notes.append("a trace function (debugger?) is active: per-line peaks skipped")

    def finish(self) -> Dict[str, Any]:
        """Stop tracing and return the result (the ``profile`` event data part)."""
        if not self.active:
            return self._result({}, 0, 0)
        self.active = False
        try:
            if self.user_trace is None and sys.gettrace() is self._global_trace:
                sys.settrace(None)
            self._close_line()
            self.duration_ms = (time.perf_counter() - self._t0) * 1000.0
            net, total_net = self._attribute()
            return self._result(net, total_net, max(0, self._max_top - self._base0))
        finally:
            if self.started_tracemalloc:
                tracemalloc.stop()

    # -- line tracer ----------------------------------------------------
    # Both tracers are called from the user's code, and their own allocations
    # are traced too: closures over local state (no bound methods, no
    # attribute lookups) keep each line event to a few allocations.
    def _make_tracers(self) -> Tuple[Callable[..., Any], Callable[..., Any]]:
        session = self
        get_traced = tracemalloc.get_traced_memory
        reset_peak = tracemalloc.reset_peak if self.started_tracemalloc else None
        counts, events = self._counts, self._events

        def local_trace(frame: Any, event: str, arg: Any) -> Optional[Callable[..., Any]]:
            if event == "line":
                if session._line is not None:
                    session._close_line()
                line = frame.f_lineno
                session._line = line
                counts[line] = counts.get(line, 0) + 1
                key = id(frame)
                seen = events.get(key, 0) + 1
                events[key] = seen
                if seen > LINE_EVENT_LIMIT:
                    # a hot loop: stop line events in this statement; its
                    # lines keep their counts so far, the rest of its run
                    # is charged to this line at `return`
                    frame.f_trace_lines = False
                    session._partial.update(
                        lineno for _, _, lineno in frame.f_code.co_lines() if lineno is not None
                    )
                session._line_base = get_traced()[0]
                if reset_peak is not None:
                    reset_peak()
            elif event == "return":
                session._close_line()
                events.pop(id(frame), None)  # the id may be reused by the next statement
            return local_trace

        def global_trace(frame: Any, event: str, arg: Any) -> Optional[Callable[..., Any]]:
            # called for every Python call while the cell runs: keep it short
            code = frame.f_code
            if code.co_name != "<module>":
                return None
            if session.filename is None:
                back = frame.f_back
                if back is None or back.f_code.co_name != "run_code":
                    return None
                session.filename = code.co_filename
            return local_trace if code.co_filename == session.filename else None

        return global_trace, local_trace

    def _close_line(self) -> None:
        line = self._line
        if line is None:
            return
        self._line = None
        current, peak = tracemalloc.get_traced_memory()
        top = peak if self.started_tracemalloc else current
        if top > self._max_top:
            self._max_top = top
        rise = top - self._line_base
        if rise > self._peaks.get(line, 0):
            self._peaks[line] = rise
        self._grew[line] = self._grew.get(line, 0) + current - self._line_base

    # -- attribution ----------------------------------------------------
    def _attribute(self) -> Tuple[Dict[int, int], int]:
        """Bytes still traced per cell line (see ``attribution``)."""
        fname = self.filename
        if fname is None or not tracemalloc.is_tracing():
            return {}, 0
        net, deep, imports = attribution.traced_by_line(fname)
        # a trace the user started holds blocks from before the cell: only
        # our own trace says that every deep block is the cell's
        if self.started_tracemalloc:
            importing = attribution.import_lines(fname) if imports else set()
            attribution.charge_deep(net, self._grew, deep, imports, importing)
        return net, sum(net.values())

    def _result(self, net: Dict[int, int], total_net: int, peak: int) -> Dict[str, Any]:
        lines = []
        for line in sorted(set(net) | set(self._peaks)):
            n = net.get(line, 0)
            p = max(self._peaks.get(line, 0), n)
            if max(abs(n), p) < MIN_BYTES:
                continue
            user_line = line + self.line_offset
            if user_line < 1:
                continue
            entry = {
                "line": user_line,
                "net_bytes": n,
                "peak_bytes": p,
                "count": self._counts.get(line, 0),
            }
            if line in self._partial:
                entry["count_partial"] = True
            lines.append(entry)
        result: Dict[str, Any] = {
            "duration_ms": round(self.duration_ms, 3),
            "method": "tracemalloc",
            "net_bytes": total_net,
            "peak_bytes": max([peak] + [entry["peak_bytes"] for entry in lines]),
            "lines": lines,
        }
        notes = list(self.notes)
        if self._partial:
            notes.append(
                f"a loop ran more than {LINE_EVENT_LIMIT:,} lines: its lines were traced "
                "one by one only that long (counts are lower bounds; net bytes stay exact)"
            )
        if notes:
            result["notes"] = notes
        return result

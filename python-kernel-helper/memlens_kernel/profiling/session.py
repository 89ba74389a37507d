"""One profiled cell run, exact method: ``tracemalloc`` plus statement marks.

The cost of ``tracemalloc`` is per allocated block: its hook, a walk of the
whole Python stack (it counts every frame even when it records one) and
its hash tables. So the trace keeps ``FRAMES`` = 1 frame, and nothing of
ours runs per allocation or per line event of a long loop:

- **net**: every block still traced when the cell's last statement ends
  whose frame is a line of the cell's own code (its top-level statements,
  loops, comprehensions) goes to that line's statement. Blocks allocated in
  called functions (numpy and pandas Python code, functions of other cells
  or in ``def`` bodies) are *deep*: at each top-level statement boundary (a
  mark, see ``statements``) the deep bytes per allocation site are summed
  while that is cheap (``SNAPSHOT_SHARE`` of the run's time at most), so
  what a statement left behind in called code is charged to it exactly; the
  lines of one statement (a loop) share its deep bytes in proportion to the
  growth seen on them. Statements whose boundary was not summed share as one.
- **peak**: ``reset_peak`` at every statement boundary gives each
  top-level statement its peak; inside a compound statement ``lines``
  follows the lines for a while. A loop that runs longer gives its
  statement peak to its biggest line (counts are then lower bounds).
- **the end**: when the cell's last top-level statement ends, the traces
  are read once (``attribution.read_traces``, in C) and a trace of ours is
  stopped at once, before anything is summed: IPython's display, history
  and post-execute hooks after the last statement are then neither traced
  nor anyone's, and the summing runs without the allocation hook (with it,
  each of its own allocations would cost a stack walk).

A trace the user started is used as it is (its traceback limit, no
``reset_peak``: per-line peaks then fall back to the increase seen at
boundaries) and never stopped. A trace function the user set (a debugger)
is left alone: line events inside loops are skipped and the limitation
reported.
"""

from __future__ import annotations

import ast
import sys
import time
import tracemalloc
from typing import Any, Callable, Dict, FrozenSet, List, Optional

from . import attribution, statements
from .lines import LINE_EVENT_LIMIT, LineFollower
from .marked import MarkedSession, Statement

FRAMES = 1
# Summing deep blocks at a boundary reads every trace (~0.3 us each): done
# while the time spent so stays under this share of the run's time.
SNAPSHOT_SHARE = 0.25
# A trace the user started is summed once before the cell (to tell its
# blocks from the cell's) only below this much tracemalloc memory (~0.1 s).
USER_TRACE_MAX_BYTES = 5 * 2**20


# Python 3.11: a code object that got a trace event keeps a table of its
# line numbers, and tracemalloc then finds the line of each block it records
# in O(1) instead of decoding the code's line table (~20% of the traced run
# of a cell of comprehensions building small objects). A trace function
# that removes itself at its first call event gives that table to the first
# function a simple statement calls (a comprehension is one); the lines of
# compound statements are followed (``lines``), which gives theirs.
LINE_TABLE_ON_TRACE = sys.version_info[:2] == (3, 11)


def _first_call(frame: Any, event: str, arg: Any) -> None:
    sys.settrace(None)


def _drop_first_call() -> None:
    if sys.gettrace() is _first_call:
        sys.settrace(None)


def _own_files() -> FrozenSet[str]:
    """The profiler's own code files (as compiled: the injected helper has no
    ``__file__``): blocks allocated there are its bookkeeping."""
    return frozenset(
        fn.__code__.co_filename
        for fn in (
            attribution.traced_by_line,
            statements.add_marks,
            _own_files,
            LineFollower.follow,
            MarkedSession.start,
        )
    )


_OWN_FILES = _own_files()


class ProfileSession(MarkedSession):
    """Exact per-line profile; ``finish()`` always stops what ``start()`` started.

    ``filename`` is the cell's compiled filename when known (the magic);
    otherwise the first mark gives it. ``line_offset`` maps code line
    numbers to the cell as written; ``tree`` is the cell's AST (the magic,
    or the mark transformer for an armed run).
    """

    method = "tracemalloc"

    def __init__(
        self,
        filename: Optional[str] = None,
        line_offset: int = 0,
        tree: Optional[ast.Module] = None,
    ) -> None:
        super().__init__(filename, line_offset, tree)
        self.started_tracemalloc = False
        self.user_trace: Optional[Callable[..., Any]] = None
        self._base0 = 0
        self._max_top = 0
        self._lines = LineFollower(self._map, reset_peak=False)
        # deep bytes per allocation site at each summed boundary, and the
        # statements between two summed boundaries (None: deep blocks are
        # not charged, a big trace of the user's was already running)
        self._snaps: Optional[List[Dict[Any, int]]] = [{}]
        self._segments: List[List[Statement]] = [[]]
        self._snap_cost = 2e-8  # seconds per byte of tracemalloc's own memory
        self._snap_spent = 0.0
        # the traces read when the last statement ended (None: not yet)
        self._final: Optional[List[Any]] = None
        self._ended = False
        self._stopped = False

    def _begin(self) -> None:
        if tracemalloc.is_tracing():
            if tracemalloc.get_traceback_limit() < FRAMES:
                self.notes.append(
                    "your tracemalloc trace keeps fewer than "
                    f"{FRAMES} frames: allocations in called functions may be missed"
                )
            if tracemalloc.get_tracemalloc_memory() <= USER_TRACE_MAX_BYTES:
                self._snaps = None if self.filename is None else [self._deep_sites() or {}]
            else:
                self._snaps = None
            if self._snaps is None:
                self.notes.append(
                    "your tracemalloc trace was already running: blocks allocated in "
                    "called functions are not charged to lines"
                )
        else:
            tracemalloc.start(FRAMES)
            self.started_tracemalloc = True
        self._lines.reset_peak = self.started_tracemalloc
        self._base0 = self._max_top = tracemalloc.get_traced_memory()[0]
        self.user_trace = sys.gettrace()
        if self.user_trace is not None:
            self.notes.append(
                "a trace function (debugger?) is active: lines inside loops were not followed"
            )

    def _stop(self) -> None:
        _drop_first_call()
        self._lines.release()
        self._stop_tracing()

    def _stop_tracing(self) -> None:
        """Stop our trace once (never the user's, never one started after ours ended)."""
        if self.started_tracemalloc and not self._stopped:
            self._stopped = True
            tracemalloc.stop()

    # -- statements -----------------------------------------------------
    def _start_statement(self, line: int, compound: bool) -> None:
        if self._ended:
            return  # the cell's last statement has ended
        if not self._stmts and self.started_tracemalloc and self._snaps == [{}]:
            # what IPython allocated between pre_run_cell and the first
            # statement (the cell's compile, its caches) is no line's
            sites = self._deep_sites()
            if sites is not None:
                self._snaps[0] = sites
        stmt = Statement(line, compound)
        self._stmts.append(stmt)
        self._segments[-1].append(stmt)
        if self.started_tracemalloc:
            tracemalloc.reset_peak()
        stmt.base = tracemalloc.get_traced_memory()[0]
        self._current = stmt
        if LINE_TABLE_ON_TRACE and not compound and sys.gettrace() is None:
            sys.settrace(_first_call)

    def _end_statement(self) -> None:
        _drop_first_call()
        stmt = self._current
        if stmt is None:
            return
        self._current = None
        current, peak = tracemalloc.get_traced_memory()
        top = peak if self.started_tracemalloc else current
        self._max_top = max(self._max_top, top)
        stmt.peak = max(0, top - stmt.base)
        stmt.grew = current - stmt.base
        if self._is_last(stmt):
            self._end_of_cell()
        else:
            self._maybe_snapshot()

    def _end_of_cell(self) -> None:
        """The last top-level statement ended: read the traces, stop ours."""
        self._ended = True
        self._took()
        if self.filename is not None and tracemalloc.is_tracing():
            self._final = attribution.read_traces()
        self._stop_tracing()

    def _follow_lines(self, frame: Any) -> None:
        if self.user_trace is None:
            self._lines.follow(frame)

    def _unfollow_lines(self) -> None:
        if self._lines.unfollow() and self._current is not None:
            self._current.partial = True
        self._max_top = max(self._max_top, self._lines.top)

    def _maybe_snapshot(self) -> None:
        if self._snaps is None:
            return
        elapsed = time.perf_counter() - self._t0
        guess = self._snap_cost * tracemalloc.get_tracemalloc_memory()
        if self._snap_spent + guess > SNAPSHOT_SHARE * elapsed:
            return
        t0 = time.perf_counter()
        sites = self._deep_sites()
        spent = time.perf_counter() - t0
        self._snap_spent += spent
        self._snap_cost = spent / max(1, tracemalloc.get_tracemalloc_memory())
        if sites is not None:
            self._snaps.append(sites)
            self._segments.append([])

    def _deep_sites(self) -> Optional[Dict[Any, int]]:
        if self.filename is None or not tracemalloc.is_tracing():
            return None
        traces = attribution.read_traces()
        return attribution.traced_by_line(
            self.filename, self._map, _OWN_FILES, traces, deep_only=True
        )[1]

    # -- attribution ----------------------------------------------------
    def _collect(self) -> Dict[str, Any]:
        traces, self._final = self._final, None
        fname = self.filename
        if traces is None and fname is not None and tracemalloc.is_tracing():
            traces = attribution.read_traces()  # the last statement never ended
        self._stop_tracing()
        if fname is None or traces is None:
            return self._result({}, {}, {}, set(), 0, 0)
        net, final = attribution.traced_by_line(fname, self._map, _OWN_FILES, traces)
        del traces
        deep = [] if self._snaps is None else attribution.deep_by_segment([*self._snaps, final])
        follower = self._lines
        grew = follower.grew
        peaks = dict(follower.peaks)
        counts = dict(follower.counts)
        for segment, deep_bytes in zip(self._segments, deep):
            weights: Dict[int, int] = {}
            for stmt in segment:
                if stmt.compound:
                    inner = [ln for ln in grew if self._in(stmt, ln)]
                    for ln in inner:
                        weights[ln] = grew[ln]
                    if not inner:
                        weights[stmt.line] = stmt.grew
                else:
                    weights[stmt.line] = stmt.grew
            if deep_bytes:
                attribution.spread(net, weights, deep_bytes)
        for stmt in self._stmts:
            if not stmt.compound:
                peaks[stmt.line] = max(peaks.get(stmt.line, 0), stmt.peak)
                counts[stmt.line] = counts.get(stmt.line, 0) + 1
                continue
            counts.setdefault(stmt.line, 1)
            inner = [ln for ln in set(net) | set(peaks) if self._in(stmt, ln)]
            if stmt.partial or not inner:
                # the statement's peak goes to its biggest line
                top = max(inner, key=lambda ln: max(net.get(ln, 0), peaks.get(ln, 0)), default=None)
                top = stmt.line if top is None else top
                peaks[top] = max(peaks.get(top, 0), stmt.peak)
        total = sum(net.values())
        return self._result(
            net, peaks, counts, follower.partial, total, self._max_top - self._base0
        )

    def _partial_note(self) -> str:
        return (
            f"a loop ran more than {LINE_EVENT_LIMIT:,} lines: its lines were followed "
            "one by one only that long (counts are lower bounds; net bytes stay exact)"
        )

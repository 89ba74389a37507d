"""One profiled cell run, exact method: ``tracemalloc`` plus statement marks.

The cost of ``tracemalloc`` is per allocated block and per frame it records
(bench/README.md: on a cell of 200k small dicts, 1 frame costs ~9x the
plain run, 8 frames ~120x once IPython's own frames are above the cell).
So the trace keeps ``FRAMES`` = 1 frame, and nothing runs per line event of
a loop:

- **net**: every block still traced when the cell ends whose frame is a
  line of the cell's own code (its top-level statements, loops,
  comprehensions) goes to that line's statement. Blocks allocated in
  called functions (numpy and pandas Python code, functions of other cells
  or in ``def`` bodies) are *deep*: at each top-level statement boundary (a
  mark, see ``statements``) the deep bytes per allocation site are summed
  while that is cheap (``SNAPSHOT_SHARE`` of the run's time at most), so
  what a statement left behind in called code is charged to it exactly; the
  lines of one statement (a loop) share its deep bytes in proportion to the
  growth seen on them. Statements whose boundary was not summed share as one.
- **peak**: ``reset_peak`` at every statement boundary gives each
  top-level statement its peak. Inside a compound statement the lines are
  followed one by one for their first ``LINE_EVENT_LIMIT`` events: with
  ``sys.monitoring`` (3.12+) each line disables itself after
  ``LINE_RUNS`` runs; before 3.12 a trace function set on that statement's
  frame only, removed at the limit. A loop that runs longer gives its
  statement peak to its biggest line (counts are then lower bounds).

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
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, List, Literal, Optional, Set

from . import attribution, statements

FRAMES = 1
MIN_BYTES = 1024
# Line events one compound statement gets before its lines stop being
# followed one by one (a loop would otherwise pay ~3 us per line run).
LINE_EVENT_LIMIT = 2_000
# With sys.monitoring: runs of one line before it disables itself.
LINE_RUNS = 200
# Summing deep blocks at a boundary walks every trace (~1 us each): done
# while the time spent so stays under this share of the run's time.
SNAPSHOT_SHARE = 0.25
# A trace the user started is summed once before the cell (to tell its
# blocks from the cell's) only below this much tracemalloc memory (~0.1 s).
USER_TRACE_MAX_BYTES = 5 * 2**20


def _own_files() -> FrozenSet[str]:
    """The profiler's own code files (as compiled: the injected helper has no
    ``__file__``): blocks allocated there are its bookkeeping."""
    return frozenset(
        fn.__code__.co_filename
        for fn in (attribution.traced_by_line, statements.add_marks, _own_files)
    )


_OWN_FILES = _own_files()


@dataclass
class Statement:
    """One top-level statement as it ran."""

    line: int
    compound: bool
    base: int = 0
    peak: int = 0
    grew: int = 0
    partial: bool = False


@dataclass
class _Block:
    """The line events of one compound statement."""

    frame: Any
    code: Any
    events: int = 0
    line: Optional[int] = None
    base: int = 0
    lines: Set[int] = field(default_factory=set)


class _Marked:
    """What both methods share: the cell's statements and their marks."""

    method = "tracemalloc"

    def __init__(
        self,
        filename: Optional[str] = None,
        line_offset: int = 0,
        tree: Optional[ast.Module] = None,
    ) -> None:
        self.filename = filename
        self.line_offset = line_offset
        self.active = False
        self.notes: List[str] = []
        self.duration_ms = 0.0
        self._t0 = 0.0
        self._map: Dict[int, int] = {}
        self._ends: Dict[int, int] = {}
        self._last_line: Optional[int] = None
        self._stmts: List[Statement] = []
        self._current: Optional[Statement] = None
        if tree is not None:
            self.set_tree(tree)

    def set_tree(self, tree: ast.Module) -> None:
        """The cell's AST before marks (line numbers as compiled)."""
        self._map = statements.line_map(tree)
        self._ends = {
            node.lineno: getattr(node, "end_lineno", None) or node.lineno for node in tree.body
        }
        self._last_line = tree.body[-1].lineno if tree.body else None

    # -- start / stop ---------------------------------------------------
    def start(self) -> None:
        """Start (idempotent per session)."""
        if self.active:
            return
        self.active = True
        self._t0 = time.perf_counter()
        self._begin()
        statements.install(self._on_mark, self._on_block, self._on_stmt, self._on_end)

    def finish(self) -> Dict[str, Any]:
        """Stop everything ``start`` started and return the event data part."""
        if not self.active:
            return self._result({}, {}, {}, set(), 0, 0)
        self.active = False
        try:
            statements.uninstall()
            self._end_statement()
            self.duration_ms = (time.perf_counter() - self._t0) * 1000.0
            return self._collect()
        finally:
            self._stop()

    # -- marks ----------------------------------------------------------
    def _on_mark(self, line: int) -> None:
        if not self.active:
            return
        if self.filename is None:
            self.filename = sys._getframe(2).f_code.co_filename
        self._end_statement()
        self._start_statement(line, False)

    def _on_block(self, line: int) -> Any:
        if not self.active:
            return _NULL_BLOCK
        return _BlockContext(self, line)

    def _on_stmt(self, line: int) -> Any:
        if not self.active:
            return _NULL_BLOCK
        return _StmtContext(self, line)

    def _on_end(self) -> None:
        if self.active:
            self._end_statement()

    def _enter_stmt(self, line: int, frame: Any) -> None:
        if self.filename is None:
            self.filename = frame.f_code.co_filename
        self._end_statement()
        self._start_statement(line, False)

    def _enter_block(self, line: int, frame: Any) -> None:
        if self.filename is None:
            self.filename = frame.f_code.co_filename
        self._end_statement()
        self._start_statement(line, True)
        self._follow_lines(frame)

    def _exit_block(self) -> None:
        self._unfollow_lines()
        self._end_statement()

    # -- for each method -----------------------------------------------
    def _begin(self) -> None:
        raise NotImplementedError

    def _stop(self) -> None:
        raise NotImplementedError

    def _start_statement(self, line: int, compound: bool) -> None:
        raise NotImplementedError

    def _end_statement(self) -> None:
        raise NotImplementedError

    def _follow_lines(self, frame: Any) -> None:
        return None

    def _unfollow_lines(self) -> None:
        return None

    def _collect(self) -> Dict[str, Any]:
        raise NotImplementedError

    # -- result ---------------------------------------------------------
    def _result(
        self,
        net: Dict[int, int],
        peaks: Dict[int, int],
        counts: Dict[int, int],
        partial: Set[int],
        total_net: int,
        peak: int,
        min_bytes: int = MIN_BYTES,
    ) -> Dict[str, Any]:
        lines = []
        for line in sorted(set(net) | set(peaks)):
            n = net.get(line, 0)
            p = max(peaks.get(line, 0), n)
            if max(abs(n), p) < min_bytes:
                continue
            user_line = line + self.line_offset
            if user_line < 1:
                continue
            entry: Dict[str, Any] = {
                "line": user_line,
                "net_bytes": n,
                "peak_bytes": p,
                "count": counts.get(line, 0),
            }
            if line in partial:
                entry["count_partial"] = True
            lines.append(entry)
        result: Dict[str, Any] = {
            "duration_ms": round(self.duration_ms, 3),
            "method": self.method,
            "net_bytes": total_net,
            "peak_bytes": max([max(0, peak)] + [entry["peak_bytes"] for entry in lines]),
            "lines": lines,
        }
        notes = list(self.notes)
        if partial:
            notes.append(self._partial_note())
        if notes:
            result["notes"] = notes
        return result

    def _partial_note(self) -> str:
        return (
            f"a loop ran more than {LINE_EVENT_LIMIT:,} lines: its lines were followed "
            "one by one only that long (counts are lower bounds; net bytes stay exact)"
        )


class _BlockContext:
    """``with __memlens_block__(line):`` around a compound statement."""

    __slots__ = ("line", "session")

    def __init__(self, session: _Marked, line: int) -> None:
        self.session = session
        self.line = line

    def __enter__(self) -> None:
        if self.session.active:
            self.session._enter_block(self.line, sys._getframe(1))

    def __exit__(self, *exc: Any) -> Literal[False]:
        if self.session.active:
            self.session._exit_block()
        return False


class _StmtContext:
    """``with __memlens_stmt__(line):`` around a simple statement."""

    __slots__ = ("line", "session")

    def __init__(self, session: _Marked, line: int) -> None:
        self.session = session
        self.line = line

    def __enter__(self) -> None:
        if self.session.active:
            self.session._enter_stmt(self.line, sys._getframe(1))

    def __exit__(self, *exc: Any) -> Literal[False]:
        if self.session.active:
            self.session._end_statement()
        return False


class _NullBlock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> Literal[False]:
        return False


_NULL_BLOCK = _NullBlock()


def _no_trace(frame: Any, event: str, arg: Any) -> None:
    return None


def _monitoring_tool() -> Optional[int]:
    mon = getattr(sys, "monitoring", None)
    if mon is None:
        return None
    for tool in range(5, 0, -1):
        if mon.get_tool(tool) is None:
            try:
                mon.use_tool_id(tool, "memlens")
            except ValueError:
                continue
            return tool
    return None


class ProfileSession(_Marked):
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
        # per code line, from the line events inside compound statements
        self._peaks: Dict[int, int] = {}
        self._counts: Dict[int, int] = {}
        self._grew: Dict[int, int] = {}
        self._partial: Set[int] = set()
        self._block: Optional[_Block] = None
        self._tool: Optional[int] = None
        # deep bytes per allocation site at each summed boundary, and the
        # statements between two summed boundaries (None: deep blocks are
        # not charged, a big trace of the user's was already running)
        self._snaps: Optional[List[Dict[Any, int]]] = [{}]
        self._segments: List[List[Statement]] = [[]]
        self._snap_cost = 2e-8  # seconds per byte of tracemalloc's own memory
        self._snap_spent = 0.0

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
        self._base0 = self._max_top = tracemalloc.get_traced_memory()[0]
        self.user_trace = sys.gettrace()
        if self.user_trace is not None:
            self.notes.append(
                "a trace function (debugger?) is active: lines inside loops were not followed"
            )

    def _stop(self) -> None:
        self._unfollow_lines()
        if self._tool is not None:
            sys.monitoring.free_tool_id(self._tool)  # type: ignore[attr-defined]
            self._tool = None
        if self.started_tracemalloc:
            tracemalloc.stop()

    # -- statements -----------------------------------------------------
    def _start_statement(self, line: int, compound: bool) -> None:
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

    def _end_statement(self) -> None:
        stmt = self._current
        if stmt is None:
            return
        self._current = None
        self._close_line()
        current, peak = tracemalloc.get_traced_memory()
        top = peak if self.started_tracemalloc else current
        self._max_top = max(self._max_top, top)
        stmt.peak = max(0, top - stmt.base)
        stmt.grew = current - stmt.base
        # after the cell's last statement IPython displays its value, stores
        # the history and runs the post-execute hooks: that is no line's
        self._maybe_snapshot(force=stmt.line == self._last_line)

    def _maybe_snapshot(self, force: bool = False) -> None:
        if self._snaps is None:
            return
        elapsed = time.perf_counter() - self._t0
        guess = self._snap_cost * tracemalloc.get_tracemalloc_memory()
        if not force and self._snap_spent + guess > SNAPSHOT_SHARE * elapsed:
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
        return attribution.deep_sites(self.filename, self._map, _OWN_FILES)

    # -- line events inside compound statements -------------------------
    def _follow_lines(self, frame: Any) -> None:
        if self.user_trace is not None:
            return
        block = _Block(frame=frame, code=frame.f_code)
        self._block = block
        mon = getattr(sys, "monitoring", None)
        if mon is not None:
            tool = self._tool if self._tool is not None else _monitoring_tool()
            if tool is not None:
                self._tool = tool
                mon.register_callback(tool, mon.events.LINE, self._make_monitor(block))
                mon.set_local_events(tool, block.code, mon.events.LINE)
                return
        frame.f_trace = self._make_tracer(block)
        frame.f_trace_lines = True
        sys.settrace(_no_trace)

    def _unfollow_lines(self) -> None:
        block = self._block
        if block is None:
            return
        self._block = None
        self._close_line()
        tool = self._tool
        if tool is not None:
            mon = sys.monitoring  # type: ignore[attr-defined]
            mon.set_local_events(tool, block.code, 0)
            mon.register_callback(tool, mon.events.LINE, None)
        else:
            if sys.gettrace() is _no_trace:
                sys.settrace(None)
            block.frame.f_trace = None
        block.frame = None

    def _line_event(self, block: _Block, code_line: int) -> bool:
        """One line event; False once the block stops following lines."""
        line = self._map.get(code_line, code_line)
        if line != code_line:
            return True  # a continuation line of a statement
        self._close_line()
        block.line = line
        block.lines.add(line)
        self._counts[line] = self._counts.get(line, 0) + 1
        block.events += 1
        if self.started_tracemalloc:
            tracemalloc.reset_peak()
        block.base = tracemalloc.get_traced_memory()[0]
        if block.events > LINE_EVENT_LIMIT:
            self._partial.update(block.lines)
            if self._current is not None:
                self._current.partial = True
            return False
        return True

    def _make_tracer(self, block: _Block) -> Callable[..., Any]:
        session = self

        def local_trace(frame: Any, event: str, arg: Any) -> Optional[Callable[..., Any]]:
            if (
                event == "line"
                and frame is block.frame
                and not session._line_event(block, frame.f_lineno)
            ):
                # a long loop: no more line events in this statement
                frame.f_trace_lines = False
                if sys.gettrace() is _no_trace:
                    sys.settrace(None)
            return local_trace

        return local_trace

    def _make_monitor(self, block: _Block) -> Callable[..., Any]:
        session = self
        mon = sys.monitoring  # type: ignore[attr-defined]
        runs: Dict[int, int] = {}

        def on_line(code: Any, line: int) -> Any:
            if code is not block.code:
                return mon.DISABLE
            seen = runs.get(line, 0) + 1
            runs[line] = seen
            if not session._line_event(block, line) or seen >= LINE_RUNS:
                session._partial.add(session._map.get(line, line))
                if session._current is not None:
                    session._current.partial = True
                return mon.DISABLE
            return None

        return on_line

    def _close_line(self) -> None:
        block = self._block
        if block is None or block.line is None:
            return
        line, block.line = block.line, None
        current, peak = tracemalloc.get_traced_memory()
        top = peak if self.started_tracemalloc else current
        self._max_top = max(self._max_top, top)
        rise = top - block.base
        if rise > self._peaks.get(line, 0):
            self._peaks[line] = rise
        self._grew[line] = self._grew.get(line, 0) + current - block.base

    # -- attribution ----------------------------------------------------
    def _collect(self) -> Dict[str, Any]:
        fname = self.filename
        if fname is None or not tracemalloc.is_tracing():
            return self._result({}, {}, {}, set(), 0, 0)
        net, final = attribution.traced_by_line(fname, self._map, _OWN_FILES)
        deep = [] if self._snaps is None else attribution.deep_by_segment([*self._snaps, final])
        peaks = dict(self._peaks)
        counts = dict(self._counts)
        for segment, deep_bytes in zip(self._segments, deep):
            weights: Dict[int, int] = {}
            for stmt in segment:
                if stmt.compound:
                    inner = [ln for ln in self._grew if self._in(stmt, ln)]
                    for ln in inner:
                        weights[ln] = self._grew[ln]
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
        return self._result(net, peaks, counts, self._partial, total, self._max_top - self._base0)

    def _in(self, stmt: Statement, line: int) -> bool:
        return stmt.line <= line <= self._ends.get(stmt.line, stmt.line)

"""The lines of one compound statement, followed one by one for a while.

Inside a top-level ``for``/``while``/``with``/... the exact session wants
each line's peak and run count. A line event costs a few microseconds, so
a loop's lines are followed only for their first ``LINE_EVENT_LIMIT``
events: with ``sys.monitoring`` (3.12+) each line disables itself after
``LINE_RUNS`` runs; before 3.12 a trace function set on that statement's
frame only (``sys.settrace`` gets a no-op so the interpreter calls it) is
removed at the limit. A loop that runs longer is *partial*: its counts are
lower bounds and the statement's peak goes to its biggest line.
"""

from __future__ import annotations

import sys
import tracemalloc
from typing import Any, Callable, Dict, Optional, Set

# Line events one compound statement gets before its lines stop being
# followed one by one (a loop would otherwise pay ~3 us per line run).
LINE_EVENT_LIMIT = 2_000
# With sys.monitoring: runs of one line before it disables itself.
LINE_RUNS = 200


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


class LineFollower:
    """Per code line: peak rise, net growth and runs seen inside compound statements.

    ``line_map`` maps a code line to its statement's first line;
    ``reset_peak``: the trace is ours, so ``tracemalloc.reset_peak`` may
    be called at each line (otherwise a line's peak is its growth).
    """

    def __init__(self, line_map: Dict[int, int], reset_peak: bool) -> None:
        self.line_map = line_map
        self.reset_peak = reset_peak
        self.peaks: Dict[int, int] = {}
        self.counts: Dict[int, int] = {}
        self.grew: Dict[int, int] = {}
        self.partial: Set[int] = set()
        # the most traced memory seen at a line's end (peak when ours)
        self.top = 0
        self._frame: Any = None
        self._code: Any = None
        self._events = 0
        self._line: Optional[int] = None
        self._base = 0
        self._lines: Set[int] = set()
        self._cut = False
        self._tool: Optional[int] = None

    def follow(self, frame: Any) -> None:
        """Follow the lines of the statement running in ``frame``."""
        self._frame, self._code = frame, frame.f_code
        self._events, self._lines, self._cut = 0, set(), False
        mon = getattr(sys, "monitoring", None)
        if mon is not None:
            tool = self._tool if self._tool is not None else _monitoring_tool()
            if tool is not None:
                self._tool = tool
                mon.register_callback(tool, mon.events.LINE, self._monitor())
                mon.set_local_events(tool, self._code, mon.events.LINE)
                return
        frame.f_trace = self._tracer()
        frame.f_trace_lines = True
        sys.settrace(_no_trace)

    def unfollow(self) -> bool:
        """Stop following (idempotent); True when the statement's lines went partial."""
        frame = self._frame
        if frame is None:
            return False
        self._frame = None
        self._close_line()
        tool = self._tool
        if tool is not None:
            mon = sys.monitoring  # type: ignore[attr-defined]
            mon.set_local_events(tool, self._code, 0)
            mon.register_callback(tool, mon.events.LINE, None)
        else:
            if sys.gettrace() is _no_trace:
                sys.settrace(None)
            frame.f_trace = None
        self._code = None
        return self._cut

    def release(self) -> None:
        """Stop following and give back the ``sys.monitoring`` tool id."""
        self.unfollow()
        if self._tool is not None:
            sys.monitoring.free_tool_id(self._tool)  # type: ignore[attr-defined]
            self._tool = None

    def _line_event(self, code_line: int) -> bool:
        """One line event; False once the statement stops following lines."""
        line = self.line_map.get(code_line, code_line)
        if line != code_line:
            return True  # a continuation line of a statement
        self._close_line()
        self._line = line
        self._lines.add(line)
        self.counts[line] = self.counts.get(line, 0) + 1
        self._events += 1
        if self.reset_peak:
            tracemalloc.reset_peak()
        self._base = tracemalloc.get_traced_memory()[0]
        if self._events > LINE_EVENT_LIMIT:
            self._went_partial(self._lines)
            return False
        return True

    def _went_partial(self, lines: Set[int]) -> None:
        self.partial.update(lines)
        self._cut = True

    def _close_line(self) -> None:
        line = self._line
        if line is None:
            return
        self._line = None
        current, peak = tracemalloc.get_traced_memory()
        top = peak if self.reset_peak else current
        self.top = max(self.top, top)
        rise = top - self._base
        if rise > self.peaks.get(line, 0):
            self.peaks[line] = rise
        self.grew[line] = self.grew.get(line, 0) + current - self._base

    def _tracer(self) -> Callable[..., Any]:
        follower = self

        def local_trace(frame: Any, event: str, arg: Any) -> Optional[Callable[..., Any]]:
            if (
                event == "line"
                and frame is follower._frame
                and not follower._line_event(frame.f_lineno)
            ):
                # a long loop: no more line events in this statement
                frame.f_trace_lines = False
                if sys.gettrace() is _no_trace:
                    sys.settrace(None)
            return local_trace

        return local_trace

    def _monitor(self) -> Callable[..., Any]:
        follower = self
        code = self._code
        mon = sys.monitoring  # type: ignore[attr-defined]
        runs: Dict[int, int] = {}

        def on_line(event_code: Any, line: int) -> Any:
            if event_code is not code:
                return mon.DISABLE
            seen = runs.get(line, 0) + 1
            runs[line] = seen
            if not follower._line_event(line) or seen >= LINE_RUNS:
                follower._went_partial({follower.line_map.get(line, line)})
                return mon.DISABLE
            return None

        return on_line

"""What both profile methods share: the cell's statements as their marks report them.

A session subclasses ``MarkedSession`` and says what happens when a
top-level statement starts and ends (``_start_statement`` /
``_end_statement``) and how the result is collected; this module routes the
marks (``statements``) to it, keeps the statements in run order and turns
per-line numbers into the ``profile`` event's data.
"""

from __future__ import annotations

import ast
import logging
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Literal, Optional, Set, Tuple

from . import statements

log = logging.getLogger("memlens_kernel")

MIN_BYTES = 1024


@dataclass
class Statement:
    """One top-level statement as it ran."""

    line: int
    compound: bool
    base: int = 0
    peak: int = 0
    grew: int = 0
    partial: bool = False


class MarkedSession:
    """The cell's statements and their marks; one run, ``start`` then ``finish``."""

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
        self._last: Optional[Tuple[int, int]] = None
        self._stmts: List[Statement] = []
        self._current: Optional[Statement] = None
        self._failed = False
        if tree is not None:
            self.set_tree(tree)

    def set_tree(self, tree: ast.Module) -> None:
        """The cell's AST before marks (line numbers as compiled)."""
        # updated in place: the line follower holds the same dict
        self._map.clear()
        self._map.update(statements.line_map(tree))
        self._ends = {
            node.lineno: getattr(node, "end_lineno", None) or node.lineno for node in tree.body
        }
        marked = [node for node in tree.body if not statements.is_future_import(node)]
        # the last statement is known by its place (two may share a line)
        self._last = (len(marked), marked[-1].lineno) if marked else None

    def _is_last(self, stmt: Statement) -> bool:
        """``stmt`` is the cell's last top-level statement."""
        return self._last == (len(self._stmts), stmt.line) and stmt is self._stmts[-1]

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
        try:
            statements.uninstall()
            self._safely(self._end_statement)
            self.active = False
            if not self.duration_ms:
                self._took()
            return self._collect()
        finally:
            self.active = False
            self._stop()

    def _took(self) -> None:
        """The cell's own run ends now (its duration, before any attribution)."""
        self.duration_ms = (time.perf_counter() - self._t0) * 1000.0

    # -- marks ----------------------------------------------------------
    def _safely(self, step: Callable[..., None], *args: Any) -> None:
        """Run one step of a mark: they run inside the user's cell, so a
        failure ends the per-statement part of the profile, never the cell."""
        if not self.active or self._failed:
            return
        try:
            step(*args)
        except Exception as exc:
            self._failed = True
            log.exception("memlens: a profile mark failed")
            self.notes.append(f"the profile stopped following statements: {exc!r}")

    def _on_mark(self, line: int) -> None:
        self._safely(self._enter, line, sys._getframe(2), False)

    def _on_block(self, line: int) -> Any:
        return _Context(self, line, True) if self.active else _NULL_CONTEXT

    def _on_stmt(self, line: int) -> Any:
        return _Context(self, line, False) if self.active else _NULL_CONTEXT

    def _on_end(self) -> None:
        self._safely(self._end_statement)

    def _enter(self, line: int, frame: Any, compound: bool) -> None:
        if self.filename is None:
            self.filename = frame.f_code.co_filename
        self._end_statement()
        self._start_statement(line, compound)
        if compound:
            self._follow_lines(frame)

    def _exit(self, compound: bool) -> None:
        if compound:
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

    def _partial_note(self) -> str:
        raise NotImplementedError

    # -- result ---------------------------------------------------------
    def _in(self, stmt: Statement, line: int) -> bool:
        """``line`` is one of ``stmt``'s lines."""
        return stmt.line <= line <= self._ends.get(stmt.line, stmt.line)

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


class _Context:
    """``with __memlens_block__(line):`` around a compound statement (its lines
    are followed in the frame it runs in), ``with __memlens_stmt__(line):``
    around a simple one."""

    __slots__ = ("compound", "line", "session")

    def __init__(self, session: MarkedSession, line: int, compound: bool) -> None:
        self.session = session
        self.line = line
        self.compound = compound

    def __enter__(self) -> None:
        session = self.session
        session._safely(session._enter, self.line, sys._getframe(1), self.compound)

    def __exit__(self, *exc: Any) -> Literal[False]:
        session = self.session
        session._safely(session._exit, self.compound)
        return False


class _NullContext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> Literal[False]:
        return False


_NULL_CONTEXT = _NullContext()

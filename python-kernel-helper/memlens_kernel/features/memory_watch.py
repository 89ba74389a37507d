"""The limit, the guard and the post-mortem record, tied to the cell hooks.

``pre_run_cell`` wakes the ``CellWatcher`` when something needs readings
(the guard is armed, or there is a post-mortem record to keep: the kernel
has a connection file); ``post_run_cell`` puts it back to sleep, hands the
post-mortem record to its writer and, when the guard interrupted the cell,
tells ``listeners`` (the ``guard`` event). Records written while a cell runs
name the largest variables as of the previous cell: the watcher thread never
walks the user's data.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, List, Optional

from .. import facts
from ..introspect import Namespace, loaded_attr
from ..wire import GuardData, GuardState, NamedBytes, Postmortem
from . import guard as guard_mod
from . import postmortem
from .guard import Guard
from .limit import MemoryLimit
from .topvars import KnownSizes, scan
from .watch import RECORD_INTERVAL_S, CellWatcher

# budgets of the deep pass that names the largest variables: after a guard
# interrupt (once), and after each cell while memory is high
GUARD_TOP_MS = 100.0
HIGH_TOP_MS = 30.0


def _interrupted(result: Any) -> bool:
    """The cell ended in the interrupt (``CancelledError`` for a coroutine cell)."""
    error = getattr(result, "error_in_exec", None)
    cancelled = loaded_attr("asyncio", "CancelledError")
    kinds = (KeyboardInterrupt, cancelled) if type(cancelled) is type else (KeyboardInterrupt,)
    return error is not None and issubclass(type(error), kinds)


class MemoryWatch:
    """One per kernel (``state.HELPER.memory``)."""

    def __init__(self, limit: MemoryLimit) -> None:
        self.limit = limit
        self.guard = Guard()
        self.known = KnownSizes()
        self.listeners: List[Callable[[GuardData], None]] = []
        self.watcher = CellWatcher(self._tick, self._needed)
        self.recorder: Optional[postmortem.Recorder] = None
        # the previous kernel's record, until the first ``hello`` takes it
        self.pending: Optional[Postmortem] = None
        self._cell: tuple[Optional[int], Optional[str]] = (None, None)
        self._running = False
        # the largest variables after the last cell (what the watcher's records name)
        self.last_top: List[NamedBytes] = []
        # constant-time sizes of the user's arrays and builtins after the last
        # cell, and how much the last cell added (the baseline subtracts it)
        self._data_total = 0
        self.data_growth = 0
        # deep sizes within a short budget, for the guard event and the records
        # while memory is high (set at load: the snapshot code lives above this
        # module)
        self.deep_top: Optional[Callable[[float], List[NamedBytes]]] = None

    def start(self, path: Optional[str]) -> None:
        """At load: take the previous kernel's record at ``path``, then record there."""
        if self.recorder is not None:
            return  # loaded again in the same kernel: keep the first recorder
        self.pending = postmortem.take(path)
        postmortem.remove_orphans(path)
        self.recorder = postmortem.Recorder(path)

    def take_postmortem(self) -> Optional[Postmortem]:
        """The previous kernel's record, once."""
        record, self.pending = self.pending, None
        return record

    # -- guard ----------------------------------------------------------
    def set_guard(self, args: dict[str, object]) -> GuardState:
        """Apply a ``guard`` request's (already checked) ``limit_bytes`` and
        ``interrupt_at_bytes``: a key present sets it, null clears it."""
        if "limit_bytes" in args:
            value = args["limit_bytes"]
            self.limit.override = value if type(value) is int else None
        if "interrupt_at_bytes" in args:
            value = args["interrupt_at_bytes"]
            self.guard.level = value if type(value) is int else None
        limit, source = self.limit.get()
        rss = facts.rss_bytes()
        if self.recorder is not None and rss is not None and not self._running:
            # the record follows the new limit (a kill now is judged against it)
            if self._high(rss, limit) and self.deep_top is not None:
                with contextlib.suppress(Exception):
                    self.last_top = self.deep_top(HIGH_TOP_MS) or self.last_top
            self.recorder.write(self._record(rss, running=False, top=self.last_top))
        return {
            "limit_bytes": limit,
            "limit_source": source,
            "interrupt_at_bytes": self.guard.level,
        }

    # -- cell hooks -----------------------------------------------------
    def pre_run_cell(self, info: Any, execution_count: Any) -> None:
        """A user cell starts."""
        cell_id = getattr(info, "cell_id", None)
        self._cell = (
            execution_count if type(execution_count) is int else None,
            cell_id if type(cell_id) is str else None,
        )
        self._running = True
        self.guard.cell_started(info, facts.rss_bytes())
        self.watcher.cell_started()

    def post_run_cell(self, result: Any, ns: Optional[Namespace]) -> None:
        """A user cell ended: the guard event if it tripped, the record."""
        self.watcher.cell_ended()
        self._running = False
        tripped = self.guard.cell_ended()
        count = getattr(result, "execution_count", None)
        if type(count) is int:
            self._cell = (count, self._cell[1])
        top, total = scan(ns, self.known) if ns is not None else ([], 0)
        self.data_growth, self._data_total = total - self._data_total, total
        rss = facts.rss_bytes()
        limit, _source = self.limit.get()
        if (tripped is not None or self._high(rss, limit)) and self.deep_top is not None:
            # worth a short deep pass: a DataFrame or a list of objects has no
            # constant-time size, and this record may be the last one
            with contextlib.suppress(Exception):  # else the constant-time sizes
                top = self.deep_top(GUARD_TOP_MS if tripped is not None else HIGH_TOP_MS) or top
        self.last_top = top
        if tripped is not None:
            event: GuardData = {
                "rss_bytes": tripped,
                "interrupt_at_bytes": self.guard.level_at_trip,
                "limit_bytes": limit,
                "execution_count": self._cell[0],
                "cell_id": self._cell[1],
                "interrupted": _interrupted(result),
                "top": top,
            }
            for listener in list(self.listeners):
                try:
                    listener(event)
                except Exception:
                    continue
        if self.recorder is not None and rss is not None:
            self.recorder.submit(self._record(rss, running=False, top=top))

    @staticmethod
    def _high(rss: Optional[int], limit: Optional[int]) -> bool:
        return rss is not None and limit is not None and rss >= postmortem.HIGH_SHARE * limit

    # -- watcher --------------------------------------------------------
    def _needed(self) -> bool:
        return self.guard.armed or (self.recorder is not None and self.recorder.path is not None)

    def _tick(self, rss: int) -> float:
        """One reading while a cell runs; the seconds until the next one."""
        self.guard.check(rss)
        interval = RECORD_INTERVAL_S
        level = self.guard.cell_level
        if level is not None:
            interval = min(interval, guard_mod.next_interval(rss, level))
        recorder = self.recorder
        if recorder is not None:
            limit, _source = self.limit.get()
            recorder.reading(rss, limit, lambda r: self._record(r, running=True, top=None))
        return interval

    def _record(self, rss: int, *, running: bool, top: Any) -> Postmortem:
        limit, source = self.limit.get()
        if top is None:
            # from the watcher thread: the last cell's sizes, no walk over the user's data
            top = self.last_top
        recorder = self.recorder
        return postmortem.make_record(
            rss=rss,
            limit=limit,
            source=source,
            execution_count=self._cell[0],
            cell_id=self._cell[1],
            running=running,
            top=top[:10],
            points=recorder.recent() if recorder is not None else [],
        )

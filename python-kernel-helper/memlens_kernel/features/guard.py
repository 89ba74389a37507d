"""The memory guard: interrupt a running cell once it passes a resident size.

Off by default. A ``level`` turns it on; while a cell runs, the
``CellWatcher`` (``watch.py``) calls ``check`` at the pace ``next_interval``
gives (every 10 to 100 ms). The first
reading at or above the level interrupts the cell the way the user's
interrupt button does: ``SIGINT`` to the thread running it (a
``KeyboardInterrupt`` in the user's code, also out of ``time.sleep`` and
other blocking calls that return on a signal); a cell running on another
thread (a kernel subshell) gets the ``KeyboardInterrupt`` through
``PyThreadState_SetAsyncExc`` at its next bytecode. Once per cell.

A cell run as a coroutine (top-level ``await``) gets what ipykernel makes
of an interrupt there: its task is cancelled (``CancelledError``).

What it cannot stop: one allocation made inside C code (``np.ones(10**11)``,
a library's own loop) runs to its end before the interrupt is seen, and an
allocation larger than what is left of the limit is killed by the system
before the next reading.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from typing import Any, Optional

# Readings: at least every 100 ms (the protocol), and sooner the closer memory
# is to the level, so that memory growing at ``MAX_GROWTH`` bytes/s (a generous
# bound: one thread filling fresh pages reaches 2-4 GB/s) cannot pass the
# level by more than ``MAX_GROWTH * MIN_INTERVAL_S`` (80 MB) before a reading
# sees it. Far from the level a reading every 100 ms costs next to nothing.
MIN_INTERVAL_S = 0.01
MAX_INTERVAL_S = 0.1
MAX_GROWTH = 8e9


# A cell that starts above the level may grow this much before it is
# interrupted: enough for `del x` or a small peek, little against the limit.
ABOVE_LEVEL_GROWTH = 100 * 2**20


def next_interval(rss: int, level: int) -> float:
    """Seconds until the next reading, from how far ``rss`` is below ``level``."""
    return min(max((level - rss) / MAX_GROWTH, MIN_INTERVAL_S), MAX_INTERVAL_S)


def interrupt_thread(ident: int) -> None:
    """Raise ``KeyboardInterrupt`` in the thread ``ident`` (see the module docstring)."""
    if ident == threading.main_thread().ident and hasattr(signal, "pthread_kill"):
        signal.pthread_kill(ident, signal.SIGINT)
        return
    if ident == threading.main_thread().ident:
        import _thread

        _thread.interrupt_main()
        return
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(KeyboardInterrupt)
    )


class Guard:
    """The level, and what happened in the running cell."""

    def __init__(self) -> None:
        self.level: Optional[int] = None
        # the thread running the current cell, and the reading that tripped
        self.cell_thread: Optional[int] = None
        self.tripped_at: Optional[int] = None
        self.level_at_trip = 0
        # resident memory when the running cell started: a cell that starts
        # at or above the level (memory still high after an interrupted cell)
        # must be free to run `del x`; it is interrupted only when it grows
        self.start_rss: Optional[int] = None
        self._lock = threading.Lock()

    @property
    def armed(self) -> bool:
        """True when a level is set."""
        return self.level is not None

    @property
    def cell_level(self) -> Optional[int]:
        """The level for the running cell (higher when it started above it)."""
        level, start = self.level, self.start_rss
        if level is not None and start is not None and start >= level:
            return start + ABOVE_LEVEL_GROWTH
        return level

    def cell_started(self, info: Any = None, rss: Optional[int] = None) -> None:
        """A cell starts on this thread, with ``rss`` resident when known."""
        with self._lock:
            self.cell_thread = threading.get_ident()
            self.tripped_at = None
            self.start_rss = rss

    def cell_ended(self) -> Optional[int]:
        """The cell ended: the reading that tripped the guard in it, if one did."""
        with self._lock:
            self.cell_thread = None
            tripped, self.tripped_at = self.tripped_at, None
            return tripped

    def check(self, rss: int) -> bool:
        """One reading while the cell runs; True when it interrupted the cell."""
        level = self.cell_level
        if level is None or rss < level:
            return False
        with self._lock:  # never after ``cell_ended``: the interrupt is for this cell
            ident = self.cell_thread
            if ident is None or self.tripped_at is not None:
                return False
            self.tripped_at = rss
            self.level_at_trip = level
            interrupt_thread(ident)
            return True

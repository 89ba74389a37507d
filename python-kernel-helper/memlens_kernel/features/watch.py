"""One thread that reads the resident size while a cell runs.

It serves the guard (at least every 100 ms while armed, faster as memory
nears the level: see ``guard.next_interval``) and the post-mortem record
(every ``RECORD_INTERVAL_S`` while there is a record to keep). It is started
on the first cell that needs it and then sleeps on an event between cells:
no reading, no wake-up while the kernel is idle. On Linux a reading is one
``pread`` of ``/proc/self/statm`` on a descriptor kept open (a few µs).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import Callable, Optional

from .. import facts

RECORD_INTERVAL_S = 0.25
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class _Statm:
    """``/proc/self/statm`` opened once; else ``facts.rss_bytes``."""

    def __init__(self) -> None:
        self.fd: Optional[int] = None
        with contextlib.suppress(OSError, AttributeError):
            self.fd = os.open("/proc/self/statm", os.O_RDONLY)

    def rss(self) -> Optional[int]:
        if self.fd is not None:
            try:
                return int(os.pread(self.fd, 128, 0).split()[1]) * _PAGE
            except (OSError, ValueError, IndexError):
                pass
        return facts.rss_bytes()


class CellWatcher:
    """Readings between ``cell_started`` and ``cell_ended``: ``tick(rss)`` returns
    the seconds until the next one.

    ``needed()`` says whether anything needs readings (else a cell runs
    without them).
    """

    def __init__(self, tick: Callable[[int], float], needed: Callable[[], bool]) -> None:
        self._tick = tick
        self._needed = needed
        self._running = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self.readings = 0  # for tests and the bench

    def cell_started(self) -> None:
        """A cell starts: wake the thread (start it the first time it is needed)."""
        if not self._needed():
            return
        self._running.set()
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="memlens-watch", daemon=True)
            self._thread.start()

    def cell_ended(self) -> None:
        """The cell ended: the thread goes back to sleep."""
        self._running.clear()

    def _run(self) -> None:
        statm = _Statm()
        while True:
            self._running.wait()
            if not self._needed():
                self._running.clear()
                continue
            interval = RECORD_INTERVAL_S
            rss = statm.rss()
            if rss is not None and self._running.is_set():
                self.readings += 1
                # never let the watcher die over one reading
                with contextlib.suppress(Exception):
                    interval = self._tick(rss)
            time.sleep(interval)

"""One thread that reads the resident size while a cell runs.

It serves the guard (every ``guard.INTERVAL_S`` while armed) and the
post-mortem record (every ``RECORD_INTERVAL_S`` while a limit is known). It
is started on the first cell that needs it and then sleeps on an event
between cells: no reading, no wake-up while the kernel is idle. Each reading
is one read of ``/proc/self/statm`` (~20 µs).
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Callable, Optional

from .. import facts

RECORD_INTERVAL_S = 0.25


class CellWatcher:
    """``tick(rss)`` every ``interval()`` seconds between ``cell_started`` and ``cell_ended``.

    ``interval()`` returns None when nothing needs watching (then the cell
    runs without readings).
    """

    def __init__(
        self, tick: Callable[[int], None], interval: Callable[[], Optional[float]]
    ) -> None:
        self._tick = tick
        self._interval = interval
        self._running = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self.readings = 0  # for tests and the bench

    def cell_started(self) -> None:
        """A cell starts: wake the thread (start it the first time it is needed)."""
        if self._interval() is None:
            return
        self._running.set()
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="memlens-watch", daemon=True)
            self._thread.start()

    def cell_ended(self) -> None:
        """The cell ended: the thread goes back to sleep."""
        self._running.clear()

    def _run(self) -> None:
        while True:
            self._running.wait()
            interval = self._interval()
            if interval is None:
                self._running.clear()
                continue
            rss = facts.rss_bytes()
            if rss is not None and self._running.is_set():
                self.readings += 1
                # never let the watcher die over one reading
                with contextlib.suppress(Exception):
                    self._tick(rss)
            time.sleep(interval)

"""One profiled cell run, sampled method: process memory, no allocation hook.

A daemon thread reads the process's memory (``rss_reader``: resident
memory from ``/proc/self/statm``, plus mapped pages not touched yet) and
the line the cell is executing (``sys._current_frames()``: the cell's own
frame found by walking back from the running frame, so a called function
counts for the cell line that called it) every ``INTERVAL_S``. The
statement marks (``statements``) read it at every top-level statement
boundary in the cell's thread, so a statement's growth is exact to the
page; inside a compound statement (a loop) the samples share that growth
among its lines: the growth between two samples goes to the line the later
one saw.

Coarse by design: memory freed to the allocator but kept by the process is
not seen as freed, memory it reuses is not seen as growth, a line shorter
than a sample interval inside a loop may be missed, and lines under
``MIN_BYTES`` are left out. No tracing is on at any time: the sampler takes
the GIL ~200 times a second for a few microseconds.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from .. import facts
from .marked import MarkedSession, Statement

# Every sample takes the GIL from the cell (a forced switch, two context
# switches; on a loaded machine the cell may wait until the sampler gets a
# CPU): 1 ms cost a tight loop 1.4-2.2x on the shared 2-core machine, 5 ms
# keeps it near 1.0x. A waiting thread gets the GIL after at most the switch
# interval (5 ms by default), which is left as it is.
INTERVAL_S = 0.005
MIN_BYTES = 1024 * 1024


def rss_reader() -> Tuple[Callable[[], Optional[int]], Callable[[], None]]:
    """``(read the process's memory in bytes, close)``.

    On Linux one ``pread`` of an open ``/proc/self/statm`` through
    ``ctypes.PyDLL`` (~3 us), which keeps the GIL: a Python file read
    releases it around each system call, and every release costs the cell a
    forced switch to get it back. The value is resident memory, or, when
    more, resident memory at the first read plus the growth of private
    writable memory (statm's ``data``) since then: ``np.zeros`` and
    ``np.empty`` map pages they have not touched yet, which are not
    resident but are what the line allocated (touching them later then
    adds nothing). Elsewhere ``facts.rss_bytes``.
    """
    try:
        fd = os.open("/proc/self/statm", os.O_RDONLY)
    except (OSError, AttributeError):
        return facts.rss_bytes, lambda: None
    try:
        pread = ctypes.PyDLL(None).pread
        pread.restype = ctypes.c_ssize_t
        pread.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_long]
    except (OSError, AttributeError):
        os.close(fd)
        return facts.rss_bytes, lambda: None
    buf = ctypes.create_string_buffer(128)
    page = facts._PAGE
    first: List[int] = []  # resident and data pages at the first read

    def read() -> Optional[int]:
        n = pread(fd, buf, 128, 0)
        if n <= 0:
            return None
        try:
            fields = buf.raw[:n].split()
            resident, data = int(fields[1]), int(fields[5])
        except (ValueError, IndexError):
            return None
        if not first:
            first.extend((resident, data))
        return max(resident, first[0] + data - first[1]) * page

    closed = [False]

    def close() -> None:
        if not closed[0]:
            closed[0] = True
            os.close(fd)

    return read, close


class SampledSession(MarkedSession):
    """Sampled per-line profile; ``finish()`` always stops the sampler."""

    method = "sampled"

    def __init__(
        self, filename: Optional[str] = None, line_offset: int = 0, tree: Any = None
    ) -> None:
        super().__init__(filename, line_offset, tree)
        self._thread_id = 0
        self._stop_event = threading.Event()
        self._sampler: Optional[threading.Thread] = None
        # (statement index, cell line or None, rss) as the sampler saw them
        self._samples: List[Tuple[int, Optional[int], int]] = []
        self._rss0 = 0
        self._bounds: List[Tuple[int, int]] = []  # per statement: rss at start, at end
        self._read: Callable[[], Optional[int]] = facts.rss_bytes
        self._close_reader: Callable[[], None] = lambda: None

    def _rss(self) -> int:
        value = self._read()
        return value if value is not None else 0

    def _begin(self) -> None:
        self._thread_id = threading.get_ident()
        self._read, self._close_reader = rss_reader()
        self._rss0 = self._rss()
        if self._read() is None:
            self.notes.append("resident memory cannot be read here: nothing was sampled")
            return
        self._sampler = threading.Thread(target=self._run, name="memlens-sampler", daemon=True)
        self._sampler.start()

    def _stop(self) -> None:
        self._stop_event.set()
        sampler, self._sampler = self._sampler, None
        if sampler is not None and sampler is not threading.current_thread():
            sampler.join(timeout=1.0)
        if sampler is None or not sampler.is_alive():
            self._close_reader()

    # -- the sampler thread ---------------------------------------------
    def _run(self) -> None:
        wait, stop = self._stop_event.wait, self._stop_event.is_set
        samples, rss = self._samples, self._read
        while not wait(INTERVAL_S):
            value = rss()
            line = self._cell_line()
            if stop():
                break
            samples.append((len(self._stmts) - 1, line, value or 0))

    def _cell_line(self) -> Optional[int]:
        filename = self.filename
        if filename is None:
            return None
        frame = sys._current_frames().get(self._thread_id)
        line = None
        while frame is not None:
            code = frame.f_code
            if code.co_filename == filename:
                lineno = frame.f_lineno
                if lineno in self._map:
                    line = lineno  # the oldest cell frame wins
            frame = frame.f_back
        return None if line is None else self._map[line]

    # -- statements -----------------------------------------------------
    def _start_statement(self, line: int, compound: bool) -> None:
        stmt = Statement(line, compound)
        stmt.base = self._rss()
        self._stmts.append(stmt)
        self._current = stmt

    def _end_statement(self) -> None:
        stmt = self._current
        if stmt is None:
            return
        self._current = None
        now = self._rss()
        index = len(self._stmts) - 1
        top = max([now] + [rss for i, _, rss in self._samples if i == index])
        stmt.peak = max(0, top - stmt.base)
        stmt.grew = now - stmt.base
        self._bounds.append((stmt.base, now))

    # -- attribution ----------------------------------------------------
    def _collect(self) -> Dict[str, Any]:
        net: Dict[int, int] = {}
        peaks: Dict[int, int] = {}
        counts: Dict[int, int] = {}
        partial: Set[int] = set()
        by_stmt: Dict[int, List[Tuple[Optional[int], int]]] = {}
        for index, line, rss in self._samples:
            by_stmt.setdefault(index, []).append((line, rss))
        for index, stmt in enumerate(self._stmts):
            if not stmt.compound:
                net[stmt.line] = net.get(stmt.line, 0) + stmt.grew
                peaks[stmt.line] = max(peaks.get(stmt.line, 0), stmt.peak)
                counts[stmt.line] = counts.get(stmt.line, 0) + 1
                continue
            end = stmt.base + stmt.grew
            self._share_block(stmt, by_stmt.get(index, []), end, net, peaks)
            counts.setdefault(stmt.line, 1)
            for line in set(net) | set(peaks):
                if stmt.line < line <= self._ends.get(stmt.line, stmt.line):
                    counts.setdefault(line, 1)
                    partial.add(line)
        peak = max([0] + [s.base + s.peak for s in self._stmts]) - self._rss0
        self.notes.append(
            "sampled: resident memory per line, read every "
            f"{INTERVAL_S * 1000:g} ms; coarse (lines under 1 MiB are left out, "
            "memory the allocator keeps is not seen as freed)"
        )
        total = (self._stmts[-1].base + self._stmts[-1].grew - self._rss0) if self._stmts else 0
        return self._result(net, peaks, counts, partial, total, peak, MIN_BYTES)

    def _share_block(
        self,
        stmt: Statement,
        samples: List[Tuple[Optional[int], int]],
        end: int,
        net: Dict[int, int],
        peaks: Dict[int, int],
    ) -> None:
        """Growth between samples to the line the later sample saw."""
        before = stmt.base
        last = stmt.line
        run_line: Optional[int] = None
        run_base = stmt.base
        for line, rss in [*samples, (None, end)]:
            line = last if line is None else line
            net[line] = net.get(line, 0) + rss - before
            if line != run_line:
                run_line, run_base = line, before
            rise = rss - run_base
            if rise > peaks.get(line, 0):
                peaks[line] = rise
            before, last = rss, line
        if not samples:
            peaks[stmt.line] = max(peaks.get(stmt.line, 0), stmt.peak)

    def _partial_note(self) -> str:
        return "lines inside loops are sampled: their counts are lower bounds"

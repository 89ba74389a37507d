"""Per-cell memory: before, after and the peak during each user cell.

On Linux the peak is exact: ``5`` written to ``/proc/self/clear_refs`` resets
``VmHWM`` before the cell and ``VmHWM`` is read after it (a 30 ms spike that
100 ms sampling misses is caught). Elsewhere, or where ``clear_refs`` is not
writable, a thread samples RSS every 10 ms while the cell runs. Silent
executions and those that do not store history (frontends' own requests)
are skipped.
"""

from __future__ import annotations

import collections
import threading
import time
from typing import Any, Callable, Deque, List, Literal, Optional, TypedDict

from .. import facts
from ..wire import RunningCell, TimelineEntry
from ..wire import Timeline as TimelineData

MAX_ENTRIES = 500
SAMPLE_INTERVAL_S = 0.01
_CLEAR_REFS = "/proc/self/clear_refs"


class _Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="memlens-rss-sampler", daemon=True)
        self.peak = facts.rss_bytes() or 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.wait(SAMPLE_INTERVAL_S):
            rss = facts.rss_bytes() or 0
            if rss > self.peak:
                self.peak = rss


PeakMethod = Literal["vmhwm", "sampled"]


class Running(TypedDict):
    """The cell running now."""

    started: float
    rss_before: Optional[int]
    cell_id: Optional[str]


class Timeline:
    """Bounded per-cell history; ``listeners`` get each new entry."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.entries: Deque[TimelineEntry] = collections.deque(maxlen=max_entries)
        self.listeners: List[Callable[[TimelineEntry], None]] = []
        self.seq = 0
        self.running: Optional[Running] = None
        self._t0 = 0.0
        self._sampler: Optional[_Sampler] = None
        self.peak_method: PeakMethod = "vmhwm" if self._can_reset_hwm() else "sampled"

    @staticmethod
    def _can_reset_hwm() -> bool:
        hwm = facts.hwm_bytes()
        if hwm is None:
            return False
        facts.note_peak(hwm)
        try:
            with open(_CLEAR_REFS, "w") as f:
                f.write("5")
            return True
        except OSError:
            return False

    def pre_run_cell(self, info: Any = None) -> None:
        """IPython ``pre_run_cell`` hook."""
        try:
            if info is not None and (
                getattr(info, "silent", False) or not getattr(info, "store_history", True)
            ):
                self.running = None
                return
            rss = facts.rss_bytes()
            if self.peak_method == "vmhwm":
                facts.note_peak(facts.hwm_bytes())
                try:
                    with open(_CLEAR_REFS, "w") as f:
                        f.write("5")
                except OSError:
                    self.peak_method = "sampled"
            if self.peak_method == "sampled":
                self._sampler = _Sampler()
                self._sampler.start()
            self._t0 = time.perf_counter()
            cell_id = getattr(info, "cell_id", None)
            self.running = {
                "started": time.time(),
                "rss_before": rss,
                "cell_id": cell_id if type(cell_id) is str else None,
            }
        except Exception:
            self.running = None

    def post_run_cell(self, result: Any = None) -> None:
        """IPython ``post_run_cell`` hook: record the entry and notify listeners."""
        running, self.running = self.running, None
        if running is None:
            return
        facts.expire_uss()  # the next snapshot reads USS afresh
        try:
            duration = (time.perf_counter() - self._t0) * 1000
            rss = facts.rss_bytes()
            peak = self._stop_peak()
            before = running["rss_before"]
            self.seq += 1
            error = getattr(result, "error_in_exec", None) or getattr(
                result, "error_before_exec", None
            )
            count = getattr(result, "execution_count", None)
            cell_id = running["cell_id"]
            entry: TimelineEntry = {
                "seq": self.seq,
                "execution_count": count if type(count) is int else None,
                "cell_id": cell_id if type(cell_id) is str else None,
                "started": running["started"],
                "duration_ms": round(duration, 3),
                "rss_before": before,
                "rss_after": rss,
                "peak_rss": peak,
                "delta_bytes": (rss - before) if rss is not None and before is not None else None,
                "peak_delta_bytes": (peak - before)
                if peak is not None and before is not None
                else None,
                "peak_method": self.peak_method,
                "error": error is not None,
            }
            self.entries.append(entry)
        except Exception:
            return
        for listener in list(self.listeners):
            try:
                listener(entry)
            except Exception:
                continue

    def _stop_peak(self) -> Optional[int]:
        if self._sampler is not None:
            self._sampler.stop_event.set()
            sampled = self._sampler.peak
            self._sampler = None
            rss = facts.rss_bytes()
            return max(sampled, rss or 0)
        peak = facts.hwm_bytes()
        facts.note_peak(peak)
        return peak

    def snapshot(self, since: int = 0) -> TimelineData:
        """History after ``since`` plus the running cell (safe from another thread)."""
        entries = [e for e in list(self.entries) if e["seq"] > since]
        running = self.running
        current: Optional[RunningCell] = None
        if running is not None:
            cell_id = running["cell_id"]
            rss = facts.rss_bytes()
            peak = facts.hwm_bytes() if self.peak_method == "vmhwm" else None
            sampler = self._sampler
            if sampler is not None:
                peak = max(sampler.peak, rss or 0)
            current = {
                "started": running["started"],
                "cell_id": cell_id if type(cell_id) is str else None,
                "elapsed_ms": round((time.perf_counter() - self._t0) * 1000, 3),
                "rss_before": running["rss_before"],
                "rss_now": rss,
                "peak_rss": peak,
            }
        return {
            "entries": entries,
            "running": current,
            "peak_method": self.peak_method,
            "max_entries": self.entries.maxlen or MAX_ENTRIES,
        }

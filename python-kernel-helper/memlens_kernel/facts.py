"""gc and process facts: cheap reads, no third-party imports.

On Linux everything comes from ``/proc/self`` (``statm`` ~20 µs, ``status``
for the high-water mark, ``smaps_rollup`` for USS). Elsewhere psutil is used
only when the user's process already imported it.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from typing import List, Optional, Tuple

from .wire import GcFacts, GcFactsStat, LimitSource, ProcessFacts

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_LINUX = sys.platform.startswith("linux")


class _Readings:
    """What the process readings remember between calls (one per process)."""

    def __init__(self) -> None:
        # the timeline resets VmHWM before every cell; the lifetime peak is kept here
        self.lifetime_peak = 0
        # the last USS reading: when (monotonic s), its value, what it cost (s)
        self.uss_read_at = float("-inf")
        self.uss: Optional[int] = None
        self.uss_cost = 0.0


_READINGS = _Readings()


def gc_facts() -> GcFacts:
    """``gc`` state: enabled, counts, thresholds, per-generation stats, frozen."""
    stats: List[GcFactsStat] = [
        {
            "collections": int(s.get("collections", 0)),
            "collected": int(s.get("collected", 0)),
            "uncollectable": int(s.get("uncollectable", 0)),
        }
        for s in gc.get_stats()
    ]
    return {
        "enabled": gc.isenabled(),
        "count": list(gc.get_count()),
        "threshold": list(gc.get_threshold()),
        "stats": stats,
        "frozen": gc.get_freeze_count() if hasattr(gc, "get_freeze_count") else 0,
        "garbage": len(gc.garbage),
    }


def rss_bytes() -> Optional[int]:
    """Resident set size now."""
    if _LINUX:
        try:
            with open("/proc/self/statm", "rb") as f:
                return int(f.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            pass
    psutil = sys.modules.get("psutil")
    if psutil is not None:
        try:
            return int(psutil.Process().memory_info().rss)
        except Exception:
            return None
    return None


def _status_kb(field: bytes) -> Optional[int]:
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def status_bytes(field: bytes) -> Optional[int]:
    """A ``kB`` field of ``/proc/self/status`` (``b"RssAnon:"``) in bytes; None elsewhere."""
    return _status_kb(field) if _LINUX else None


def hwm_bytes() -> Optional[int]:
    """The kernel's high-water mark (``VmHWM``) since it was last reset."""
    if _LINUX:
        return _status_kb(b"VmHWM:")
    return None


def note_peak(value: Optional[int]) -> None:
    """Fold a peak into the lifetime maximum (before VmHWM is reset)."""
    if value is not None and value > _READINGS.lifetime_peak:
        _READINGS.lifetime_peak = value


def peak_rss_bytes() -> Optional[int]:
    """Lifetime peak RSS (survives the per-cell VmHWM resets)."""
    current = hwm_bytes()
    if current is None:
        try:
            import resource

            maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            current = maxrss if sys.platform == "darwin" else maxrss * 1024
        except Exception:
            current = None
    note_peak(current)
    return _READINGS.lifetime_peak or current


# smaps_rollup walks every page table: ~1 ms at 200 MB RSS, ~7 ms at 3 GB.
# Between cells a reading is reused while it is younger than 1/USS_COST_SHARE
# times what it cost (never longer than USS_MAX_AGE_S), so back-to-back
# snapshots (polling while a cell runs) spend under 1% of their time on it.
# Each cell's end expires it (``expire_uss``).
USS_COST_SHARE = 0.01
USS_MAX_AGE_S = 1.0


def uss_bytes(max_age_s: Optional[float] = None) -> Optional[int]:
    """Unique set size (private pages) where it is cheap: Linux smaps_rollup.

    A recent reading is reused (see ``USS_COST_SHARE``); ``max_age_s=0``
    forces a fresh one.
    """
    if not _LINUX:
        return None
    now = time.monotonic()
    r = _READINGS
    if max_age_s is None:
        max_age_s = min(r.uss_cost / USS_COST_SHARE, USS_MAX_AGE_S)
    if r.uss is not None and now - r.uss_read_at < max_age_s:
        return r.uss
    t0 = time.perf_counter()
    value = _read_uss()
    r.uss_read_at, r.uss, r.uss_cost = now, value, time.perf_counter() - t0
    return value


def expire_uss() -> None:
    """Make the next ``uss_bytes`` read afresh (after a cell ran)."""
    _READINGS.uss_read_at = float("-inf")


def _read_uss() -> Optional[int]:
    try:
        with open("/proc/self/smaps_rollup", "rb") as f:
            total = 0
            for line in f:
                if line.startswith((b"Private_Clean:", b"Private_Dirty:", b"Private_Hugetlb:")):
                    total += int(line.split()[1]) * 1024
            return total or None
    except (OSError, ValueError, IndexError):
        return None


def process_facts(
    limit: Optional[Tuple[Optional[int], Optional[LimitSource]]] = None,
) -> ProcessFacts:
    """RSS, lifetime peak RSS and USS of the kernel process, and its memory
    ``limit`` (``(bytes, source)``) when given."""
    out: ProcessFacts = {
        "rss_bytes": rss_bytes(),
        "peak_rss_bytes": peak_rss_bytes(),
        "uss_bytes": uss_bytes(),
        "pid": os.getpid(),
    }
    if limit is not None:
        out["limit_bytes"], out["limit_source"] = limit
    return out

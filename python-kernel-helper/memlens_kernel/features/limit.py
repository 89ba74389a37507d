"""The memory limit the kernel lives under, and where it comes from.

Checked in this order, the smallest binding one wins: the cgroup the process
is in (v2 ``memory.max`` up the hierarchy, v1 ``memory.limit_in_bytes``), the
process's own ``RLIMIT_AS``/``RLIMIT_DATA`` (these count address space, not
resident pages: a process usually reaches them with less resident memory),
else the machine's physical memory. The ``guard`` request may override it
(``"setting"``). Reading it costs a few file reads, so a detection is reused
for ``MAX_AGE_S``.
"""

from __future__ import annotations

import os
import time
from typing import List, Optional, Tuple

from ..wire import LimitSource

MAX_AGE_S = 10.0
_CGROUP_ROOT = "/sys/fs/cgroup"
# cgroup v1 writes "no limit" as a huge page-aligned number
_V1_UNLIMITED = 2**62

Limit = Tuple[Optional[int], Optional[LimitSource]]


def _read(path: str) -> Optional[str]:
    # bytes decoded as UTF-8: no codec module to import into the user's kernel
    try:
        with open(path, "rb") as f:
            return f.read().decode().strip()
    except (OSError, UnicodeDecodeError):
        return None


def _cgroup_lines(proc_cgroup: str) -> List[Tuple[str, str]]:
    """``(controllers, path)`` per line of ``/proc/self/cgroup``."""
    text = _read(proc_cgroup) or ""
    out = []
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            out.append((parts[1], parts[2]))
    return out


def _ancestors(root: str, path: str) -> List[str]:
    """``root/path`` and each of its parents up to ``root``."""
    parts = [p for p in path.split("/") if p and p not in (".", "..")]
    return [os.path.join(root, *parts[:n]) for n in range(len(parts), -1, -1)]


def cgroup_limit(root: str = _CGROUP_ROOT, proc_cgroup: str = "/proc/self/cgroup") -> Optional[int]:
    """The tightest cgroup memory limit on this process, None when unlimited."""
    best: Optional[int] = None
    for controllers, path in _cgroup_lines(proc_cgroup):
        if controllers == "":  # v2 (under "unified" on a hybrid v1/v2 host)
            dirs = _ancestors(root, path) + _ancestors(os.path.join(root, "unified"), path)
            files = [os.path.join(d, "memory.max") for d in dirs]
        elif "memory" in controllers.split(","):
            base = os.path.join(root, "memory")
            files = [os.path.join(d, "memory.limit_in_bytes") for d in _ancestors(base, path)]
        else:
            continue
        for file in files:
            value = _read(file)
            if value is None or not value.isdigit():
                continue  # "max", or not visible from this namespace
            n = int(value)
            if 0 < n < _V1_UNLIMITED and (best is None or n < best):
                best = n
    return best


# the soft limits in /proc/self/limits (Linux): read without importing
# `resource` into the user's kernel
_PROC_LIMITS = ("Max address space", "Max data size")


def _proc_rlimit(text: str) -> Optional[int]:
    best: Optional[int] = None
    for line in text.splitlines():
        if line.startswith(_PROC_LIMITS):
            soft = line[25:].split()[0] if len(line) > 25 else ""
            if soft.isdigit() and int(soft) > 0 and (best is None or int(soft) < best):
                best = int(soft)
    return best


def rlimit() -> Optional[int]:
    """The smaller soft ``RLIMIT_AS``/``RLIMIT_DATA``, None when both are unlimited."""
    text = _read("/proc/self/limits")
    if text is not None:
        return _proc_rlimit(text)
    try:
        import resource
    except ImportError:
        return None
    best: Optional[int] = None
    for name in ("RLIMIT_AS", "RLIMIT_DATA"):
        which = getattr(resource, name, None)
        if which is None:
            continue
        try:
            soft, _hard = resource.getrlimit(which)
        except (OSError, ValueError):
            continue
        if soft != resource.RLIM_INFINITY and soft > 0 and (best is None or soft < best):
            best = int(soft)
    return best


def physical_memory() -> Optional[int]:
    """The machine's RAM."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None
    return int(pages) * int(size) if pages > 0 and size > 0 else None


def detect() -> Limit:
    """``(limit_bytes, limit_source)``: the smallest of cgroup, rlimit and RAM."""
    found: List[Tuple[int, LimitSource]] = []
    for value, source in (
        (cgroup_limit(), "cgroup"),
        (rlimit(), "rlimit"),
        (physical_memory(), "system"),
    ):
        if value is not None:
            found.append((value, source))  # type: ignore[arg-type]  # the literals above
    if not found:
        return None, None
    value, source = min(found, key=lambda item: item[0])  # first wins a tie
    return value, source


class MemoryLimit:
    """The detected limit (cached) and the user's override."""

    def __init__(self) -> None:
        self.override: Optional[int] = None
        self._detected: Limit = (None, None)
        self._at = float("-inf")

    def get(self) -> Limit:
        """``(limit_bytes, limit_source)`` in force now."""
        if self.override is not None:
            return self.override, "setting"
        now = time.monotonic()
        if now - self._at > MAX_AGE_S:
            self._detected, self._at = detect(), now
        return self._detected

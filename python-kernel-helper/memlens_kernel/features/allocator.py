"""Memory the allocators keep after the program freed it.

Two allocators hold freed memory in a CPython process:

- glibc's ``malloc`` (objects over 512 bytes, numpy's small arrays, most C
  libraries): ``mallinfo2().fordblks``, the free bytes in its arenas, summed
  over every arena. ``malloc_trim(0)`` (the ``release_to_os`` action) gives
  back the pages of the free chunks. Only where glibc >= 2.33 has
  ``mallinfo2``; the older ``mallinfo`` wraps at 2 GiB and is not used.
- pymalloc (Python objects up to 512 bytes): free blocks in pools that are
  in use and whole free pools inside arenas that still hold live objects.
  CPython exposes these figures only as text written by
  ``sys._debugmallocstats()`` to the C-level stderr. The helper points file
  descriptor 2 at a temporary file for the duration of that call (a few ms,
  the GIL held by the C call) and parses the lines; whatever else reaches fd 2
  in that window is copied back to the real stderr afterwards.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import sys
import tempfile
import threading
from typing import Dict, Optional

_LINUX = sys.platform.startswith("linux")
_STDERR_LOCK = threading.Lock()


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


class _Libc:
    """``mallinfo2`` from the C library, looked up once."""

    def __init__(self) -> None:
        self.mallinfo2: Optional[object] = None
        self.loaded = False

    def get(self) -> Optional[object]:
        if not self.loaded:
            self.loaded = True
            if _LINUX:
                try:
                    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                    fn = getattr(libc, "mallinfo2", None)
                    if fn is not None:
                        fn.restype = _MallInfo2
                        fn.argtypes = []
                        self.mallinfo2 = fn
                except OSError:
                    self.mallinfo2 = None
        return self.mallinfo2


_LIBC = _Libc()


def _fordblks() -> Optional[int]:
    fn = _LIBC.get()
    if fn is None:
        return None
    try:
        info = fn()  # type: ignore[operator]  # a ctypes function
        return int(info.fordblks)
    except Exception:
        return None


class _Trimmed:
    """Free bytes ``malloc_trim`` gave back to the system, still counted free by glibc.

    ``malloc_trim`` returns the pages of free chunks (``madvise``) but the
    chunks stay free in glibc's books, so ``fordblks`` does not drop. Those
    bytes are not resident until reused: at most the smallest ``fordblks``
    seen since the trim.
    """

    def __init__(self) -> None:
        self.bytes = 0


_TRIMMED = _Trimmed()


def note_trim() -> None:
    """Right after ``malloc_trim(0)``: every free byte is given back."""
    _TRIMMED.bytes = _fordblks() or 0


def glibc_free_bytes() -> Optional[int]:
    """Resident free bytes glibc keeps in its arenas: ``mallinfo2().fordblks``
    less what the last trim gave back (see ``_Trimmed``); None without glibc."""
    free = _fordblks()
    if free is None:
        return None
    _TRIMMED.bytes = min(_TRIMMED.bytes, free)
    return free - _TRIMMED.bytes


_NUMBER = re.compile(rb"=\s*([\d,]+)\s*$")


def parse_pymalloc_stats(text: bytes) -> Dict[str, int]:
    """``available`` (free blocks in used pools) and ``unused_pools`` bytes from
    the text of ``sys._debugmallocstats()``."""
    out: Dict[str, int] = {}
    for line in text.splitlines():
        m = _NUMBER.search(line)
        if m is None:
            continue
        value = int(m.group(1).replace(b",", b""))
        if line.startswith(b"# bytes in available blocks"):
            out["available"] = value
        elif b"unused pools *" in line:
            out["unused_pools"] = value
    return out


def pymalloc_free_bytes() -> Optional[int]:
    """Bytes pymalloc keeps free (available blocks + unused pools), else None."""
    stats = getattr(sys, "_debugmallocstats", None)
    if stats is None or not hasattr(os, "dup2"):
        return None
    text = _capture_fd2(stats)
    if text is None:
        return None
    parsed = parse_pymalloc_stats(text)
    if "available" not in parsed:
        return None  # not pymalloc (PYTHONMALLOC=malloc, a debug build's format)
    return parsed["available"] + parsed.get("unused_pools", 0)


def _capture_fd2(fn: object) -> Optional[bytes]:
    """What ``fn()`` writes to file descriptor 2."""
    with _STDERR_LOCK:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        try:
            saved = os.dup(2)
        except OSError:
            return None
        try:
            with tempfile.TemporaryFile() as tmp:
                os.dup2(tmp.fileno(), 2)
                try:
                    fn()  # type: ignore[operator]  # sys._debugmallocstats
                finally:
                    os.dup2(saved, 2)
                tmp.seek(0)
                text = tmp.read()
        except OSError:
            return None
        finally:
            os.close(saved)
    # anything else written to fd 2 meanwhile goes back to the real stderr
    other = b"\n".join(line for line in text.splitlines() if line and not _is_stats_line(line))
    if other:
        with contextlib.suppress(OSError):
            os.write(2, other + b"\n")
    return text


# the report's lines: headings, table rows of numbers, "label = number"
_STATS_LINE = re.compile(
    rb"^(\s*[\d\s]+|class\s.*|-----.*|Small block.*|arena map counts|.*=\s*[\d,]+)\s*$"
)


def _is_stats_line(line: bytes) -> bool:
    return bool(_STATS_LINE.match(line))


def allocator_free() -> Dict[str, int]:
    """``{"glibc_free": n, "pymalloc_free": n}`` for the allocators that can tell."""
    out: Dict[str, int] = {}
    glibc = glibc_free_bytes()
    if glibc is not None:
        out["glibc_free"] = glibc
    pymalloc = pymalloc_free_bytes()
    if pymalloc is not None:
        out["pymalloc_free"] = pymalloc
    return out

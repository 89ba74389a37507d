"""The post-mortem record: what the kernel was doing when it died.

While resident memory is at least ``HIGH_SHARE`` of the limit (read by the
cell watcher, at most every ``HIGH_EVERY_S``) and after every cell, the
helper writes a small JSON record (time, resident size, limit, the largest
variables, the cell, recent readings; at most ``MAX_BYTES``) next to the
kernel's connection file, as ``<connection file>.memlens-postmortem``,
atomically (a temporary file, then ``os.replace``). A clean exit (shutdown,
or a restart the user asked for) removes it (``atexit``); a kernel killed by
the system (out of memory, ``SIGKILL``) leaves it. The helper of the kernel
started next with the same connection file takes it at load (reads and
deletes it) and gives it once to the first ``hello``.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import json
import os
import threading
import time
from typing import Any, Deque, List, Optional, Tuple

from ..introspect import loaded_attr
from ..wire import LimitSource, NamedBytes, Postmortem, PostmortemPoint

SUFFIX = ".memlens-postmortem"
MAX_BYTES = 64 * 1024
HIGH_SHARE = 0.7
OOM_SHARE = 0.9
HIGH_EVERY_S = 0.5
POINTS = 120
POINT_EVERY_S = 0.25
_NAME_MAX = 200


def connection_file() -> Optional[str]:
    """The running kernel's connection file (absolute), when there is one."""
    app = loaded_attr("ipykernel.kernelapp", "IPKernelApp")
    try:
        if app is None or not app.initialized():
            return None
        path = app.instance().abs_connection_file
    except Exception:
        return None
    return path if type(path) is str and path else None


def record_path(conn: Optional[str]) -> Optional[str]:
    """Where the record of the kernel with connection file ``conn`` lives."""
    return conn + SUFFIX if conn else None


def remove_orphans(path: Optional[str]) -> int:
    """Delete records beside ``path`` whose kernel's connection file is gone (a
    kernel that died and was never restarted); returns how many."""
    if path is None:
        return 0
    folder = os.path.dirname(path)
    removed = 0
    try:
        names = [n for n in os.listdir(folder) if n.endswith(SUFFIX)]
    except OSError:
        return 0
    for name in names:
        record = os.path.join(folder, name)
        if record != path and not os.path.exists(record[: -len(SUFFIX)]):
            with contextlib.suppress(OSError):
                os.remove(record)
                removed += 1
    return removed


def take(path: Optional[str]) -> Optional[Postmortem]:
    """Read and delete the record at ``path``; None when there is none or it is unreadable."""
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.remove(path)
    try:
        record = json.loads(data)
    except ValueError:
        return None
    if type(record) is not dict or type(record.get("rss_bytes")) is not int:
        return None
    return record  # type: ignore[return-value]  # our own record, shape checked above


class Recorder:
    """Writes this kernel's record; ``close`` (at exit) removes it.

    A write costs a few ms where the file system is slow (``os.replace``
    measured 1.5 ms on a loaded machine), so the record after each cell is
    handed to a writer thread (``submit``) instead of delaying the cell.
    """

    def __init__(self, path: Optional[str]) -> None:
        self.path = path
        self.points: Deque[PostmortemPoint] = collections.deque(maxlen=POINTS)
        self._lock = threading.Lock()
        self._closed = False
        self._last_high = float("-inf")
        self._last_point = float("-inf")
        # records are numbered when made: an older one never replaces a newer one
        self._seq = 0
        self._written = 0
        self._io = threading.Lock()
        self._queued: Optional[Tuple[int, Postmortem]] = None
        self._wake = threading.Event()
        self._writer: Optional[threading.Thread] = None
        if path is not None:
            atexit.register(self.close)

    def submit(self, record: Postmortem) -> None:
        """Write ``record`` soon, on the writer thread (the newest one wins)."""
        if self.path is None:
            return
        with self._lock:
            self._seq += 1
            self._queued = (self._seq, record)
        self._wake.set()
        if self._writer is None:
            self._writer = threading.Thread(
                target=self._write_queued, name="memlens-postmortem", daemon=True
            )
            self._writer.start()

    def _write_queued(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            with self._lock:
                queued, self._queued = self._queued, None
            if queued is not None:
                self._write(queued[1], queued[0])

    def reading(
        self,
        rss: int,
        limit: Optional[int],
        make: Any,
    ) -> None:
        """A reading while a cell runs: write when memory is high (rate-limited).

        ``make(rss)`` builds the record (called only when one is written).
        """
        now = time.monotonic()
        if now - self._last_point >= POINT_EVERY_S:  # the guard reads far more often
            self._last_point = now
            with self._lock:
                self.points.append({"time": round(time.time(), 3), "rss_bytes": rss})
        if limit is None or rss < HIGH_SHARE * limit:
            return
        if now - self._last_high < HIGH_EVERY_S:
            return
        self._last_high = now
        self.write(make(rss))

    def recent(self) -> List[PostmortemPoint]:
        """The recent readings, oldest first (safe while the watcher appends)."""
        with self._lock:
            return list(self.points)

    def write(self, record: Postmortem) -> bool:
        """Write ``record`` now, atomically; False when there is nowhere to write."""
        with self._lock:
            self._seq += 1
            seq = self._seq
        return self._write(record, seq)

    def _write(self, record: Postmortem, seq: int) -> bool:
        path = self.path
        if path is None:
            return False
        data = _encode(record)
        tmp = f"{path}.{os.getpid()}.tmp"
        with self._io:
            if self._closed or seq <= self._written:
                return False
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, path)
            except OSError:
                with contextlib.suppress(OSError):
                    os.remove(tmp)
                return False
            self._written = seq
        return True

    def close(self) -> None:
        """A clean exit: remove the record and write no more."""
        with self._io:
            self._closed = True
            if self.path is not None:
                with contextlib.suppress(OSError):
                    os.remove(self.path)


def make_record(
    *,
    rss: int,
    limit: Optional[int],
    source: Optional[LimitSource],
    execution_count: Optional[int],
    cell_id: Optional[str],
    running: bool,
    top: List[NamedBytes],
    points: List[PostmortemPoint],
) -> Postmortem:
    """One record (``likely_oom`` at ``OOM_SHARE`` of the limit)."""
    return {
        "time": round(time.time(), 3),
        "rss_bytes": rss,
        "limit_bytes": limit,
        "limit_source": source,
        "execution_count": execution_count,
        "cell_id": cell_id,
        "running": running,
        "top": [{"name": t["name"][:_NAME_MAX], "bytes": t["bytes"]} for t in top],
        "timeline": points,
        "likely_oom": limit is not None and rss >= OOM_SHARE * limit,
    }


def _encode(record: Postmortem) -> bytes:
    """JSON of at most ``MAX_BYTES``: the oldest readings are dropped first."""
    data = json.dumps(record, separators=(",", ":")).encode()
    while len(data) > MAX_BYTES and record.get("timeline"):
        record["timeline"] = record["timeline"][len(record["timeline"]) // 2 + 1 :]
        data = json.dumps(record, separators=(",", ":")).encode()
    if len(data) > MAX_BYTES:
        record["top"] = record["top"][:1]
        record["cell_id"] = None
        data = json.dumps(record, separators=(",", ":")).encode()
    return data

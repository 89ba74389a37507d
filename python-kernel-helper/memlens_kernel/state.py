"""The helper's process-wide state: one object, ``HELPER``, for the kernel.

What belongs to one comm (its progressive snapshot pass, its delta base, the
sizes LV109 compares with) is in that comm's ``SnapshotSession``
(``snapshot/passes.py``), never here.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Protocol

from .features.baseline import Baseline
from .features.limit import MemoryLimit
from .features.memory_watch import MemoryWatch
from .features.timeline import Timeline
from .findings.base import RuleMemory
from .introspect import current_shell


class Comm(Protocol):
    """What the helper uses of an open comm (``comm.base_comm.BaseComm``)."""

    comm_id: str

    def send(self, data: Mapping[str, object]) -> None: ...


class Helper:
    """The shell the extension was loaded into, its timeline and the open comms."""

    def __init__(self) -> None:
        self.loaded_shell: Optional[Any] = None
        self._timeline: Optional[Timeline] = None
        # comm id -> the open comm
        self.comms: Dict[str, Comm] = {}
        # True when loaded from the generated bootstrap source, not an installed package
        self.bootstrapped = False
        # what the live rules remember between ``inspect_namespace`` calls (a comm's
        # snapshots have their own, in its SnapshotSession)
        self.rules = RuleMemory()
        # the memory limit (detected, or the ``guard`` request's override)
        self.limit = MemoryLimit()
        # the guard, the post-mortem record and the watcher thread they share
        self.memory = MemoryWatch(self.limit)
        # what the interpreter and libraries take: measured when the helper loads
        self._baseline: Optional[Baseline] = None

    def shell(self) -> Optional[Any]:
        """The shell the extension was loaded into, else the running one."""
        if self.loaded_shell is not None:
            return self.loaded_shell
        return current_shell()

    def timeline(self) -> Timeline:
        """The per-cell timeline (created on first use)."""
        if self._timeline is None:
            self._timeline = Timeline()
        return self._timeline

    def baseline(self, data_bytes: int = 0) -> Baseline:
        """The baseline (measured on first use: ``load_ipython_extension`` asks first,
        with the constant-time size of the data already in the namespace)."""
        if self._baseline is None:
            self._baseline = Baseline(data_bytes)
        return self._baseline


HELPER = Helper()


def set_shell(shell: Any) -> None:
    """Remember the IPython shell the extension was loaded into."""
    HELPER.loaded_shell = shell


def shell() -> Optional[Any]:
    """The shell the extension was loaded into, else the running one."""
    return HELPER.shell()


def timeline() -> Timeline:
    """The per-cell timeline (created on first use)."""
    return HELPER.timeline()

"""The helper's process-wide state: one shell, one timeline, the open comms."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from .features.timeline import Timeline

_shell: List[Optional[Any]] = [None]
_timeline: List[Optional[Timeline]] = [None]
COMMS: Dict[str, Any] = {}
# True when loaded from the generated bootstrap source, not an installed package.
BOOTSTRAPPED = [False]


def set_shell(shell: Any) -> None:
    """Remember the IPython shell the extension was loaded into."""
    _shell[0] = shell


def shell() -> Optional[Any]:
    """The shell the extension was loaded into, else the running one."""
    if _shell[0] is not None:
        return _shell[0]
    from .snapshot.namespace import current_shell

    return current_shell()


def timeline() -> Timeline:
    """The per-cell timeline (created on first use)."""
    if _timeline[0] is None:
        _timeline[0] = Timeline()
    return _timeline[0]

"""The ``memlens`` comm target: open, route, answer, broadcast events."""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Mapping

from .. import state
from ..snapshot.passes import SnapshotSession
from . import protocol
from .handlers import handle

log = logging.getLogger("memlens_kernel")


def _honor_subshell_header(data: Any, default: Any) -> Any:
    """Route an incoming comm_msg to the subshell named in its header.

    ipykernel 7.4 routes a comm's incoming messages to the subshell of the
    last message the comm *sent* (``_reply_subshell_id``), ignoring the
    header: after one reply on the main shell, requests sent to a subshell
    would queue behind the running cell. memlens requests are independent,
    so the header decides.
    """
    return default


def comm_manager(ip: Any) -> Any:
    """The kernel's comm manager (the same object as ``comm.get_comm_manager()``)."""
    kernel = getattr(ip, "kernel", None)
    manager = getattr(kernel, "comm_manager", None)
    if manager is None:
        import comm

        manager = comm.get_comm_manager()
    return manager


def _on_open(comm: Any, msg: object) -> None:
    state.HELPER.comms[comm.comm_id] = comm
    session = SnapshotSession()
    with contextlib.suppress(Exception):
        comm._reply_subshell_for = _honor_subshell_header

    def on_msg(message: object) -> None:
        content = message.get("content") if type(message) is dict else None
        data = content.get("data") if type(content) is dict else None
        reply = handle(data, session)
        try:
            comm.send(reply)
        except Exception:
            log.exception("memlens: could not send a reply")

    def on_close(message: Any) -> None:
        state.HELPER.comms.pop(comm.comm_id, None)

    comm.on_msg(on_msg)
    comm.on_close(on_close)


def register_target(ip: Any) -> None:
    """Register (or re-register: it replaces) the ``memlens`` comm target."""
    comm_manager(ip).register_target(protocol.COMM_TARGET, _on_open)


def unregister_target(ip: Any) -> None:
    """Remove the target and forget open comms."""
    manager = comm_manager(ip)
    try:
        manager.unregister_target(protocol.COMM_TARGET, _on_open)
    except Exception:
        manager.targets.pop(protocol.COMM_TARGET, None)
    state.HELPER.comms.clear()


def send_event(entry: Mapping[str, object], event: str = "cell") -> None:
    """Push a per-cell memory entry (or another ``event``) to every open memlens comm."""
    payload = {
        "protocol": protocol.PROTOCOL_VERSION,
        "type": protocol.EVENT_TYPE,
        "event": event,
        "data": entry,
    }
    for comm in list(state.HELPER.comms.values()):
        try:
            comm.send(payload)
        except Exception:
            comm_id = getattr(comm, "comm_id", None)
            if type(comm_id) is str:
                state.HELPER.comms.pop(comm_id, None)


def send_profile(data: Mapping[str, object]) -> None:
    """Push a finished per-line profile (the ``profile`` event)."""
    send_event(data, event="profile")


def send_guard(data: Mapping[str, object]) -> None:
    """Push the ``guard`` event (the guard interrupted a cell)."""
    send_event(data, event="guard")

"""Request dispatch: envelope checks, argument checks, one handler per type.

``handle`` never raises: every failure becomes ``ok: false`` with a message.
Nothing received is executed; names are only looked up in the namespace.
"""

from __future__ import annotations

import platform
import sys
import threading
from typing import Any, Callable, Dict, Optional

from .. import state
from .._version import __version__
from ..features import actions
from ..features.dataframes import analyze_dataframe
from ..features.explain import explain
from ..findings import DEFAULT_THRESHOLD_BYTES, LIVE_RULES, dtype_finding, lv105_uncollectable
from ..introspect import exc_message, loaded_attr
from ..profiling import arming
from ..snapshot.namespace import session_snapshot
from ..snapshot.passes import SnapshotSession
from . import protocol

# A JSON object as received (not yet checked) or as sent (reply fields).
Message = Dict[str, object]


class BadRequest(Exception):
    """A request the helper refuses, with a message for the user."""


def _envelope(req_id: object, rtype: str, ok: bool, **fields: object) -> Message:
    msg: Message = {"protocol": protocol.PROTOCOL_VERSION, "id": req_id, "type": rtype, "ok": ok}
    msg.update(fields)
    return msg


def _number(args: Message, key: str, default: float, lo: float, hi: float) -> float:
    value = args.get(key, default)
    if (type(value) is not int and type(value) is not float) or not lo <= value <= hi:
        raise BadRequest(f"`{key}` must be a number between {lo:g} and {hi:g}")
    return float(value)


def _bool(args: Message, key: str, default: bool) -> bool:
    value = args.get(key, default)
    if type(value) is not bool:
        raise BadRequest(f"`{key}` must be true or false")
    return value


def _name(args: Message) -> str:
    name = args.get("name")
    if type(name) is not str or not name.isidentifier():
        raise BadRequest("`name` must be a valid Python identifier")
    return name


def _ns() -> Message:
    shell = state.shell()
    ns = getattr(shell, "user_ns", None) if shell is not None else None
    if type(ns) is not dict:
        raise BadRequest("no IPython shell namespace")
    return ns


def do_hello(args: Message) -> Message:
    """Versions and capabilities."""
    kernel = getattr(state.shell(), "kernel", None)
    subshells = bool(getattr(kernel, "_supports_kernel_subshells", False))
    ipykernel_version = loaded_attr("ipykernel", "__version__")
    limit, source = state.HELPER.limit.get()
    return {
        "helper_version": __version__,
        "protocol_version": protocol.PROTOCOL_VERSION,
        "python_version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": sys.platform,
        "ipykernel_version": ipykernel_version if type(ipykernel_version) is str else None,
        "kernel_subshells": subshells,
        "bootstrapped": state.HELPER.bootstrapped,
        "limit_bytes": limit,
        "limit_source": source,
        "postmortem": state.HELPER.memory.take_postmortem(),
        "capabilities": {
            "requests": list(protocol.REQUEST_TYPES),
            "features": list(protocol.FEATURES),
            "rules": list(LIVE_RULES),
            "peak_method": state.timeline().peak_method,
            "profile_methods": list(protocol.PROFILE_METHODS),
        },
    }


def do_snapshot(args: Message, session: Optional[SnapshotSession] = None) -> Message:
    """The snapshot payload of ``inspect_namespace``, progressive and delta per comm."""
    budget = _number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS, 1.0, protocol.MAX_BUDGET_MS)
    threshold = int(_number(args, "threshold_bytes", DEFAULT_THRESHOLD_BYTES, 0, 2**62))
    findings = _bool(args, "findings", True)
    since = args.get("since")
    if since is not None and (type(since) is not int or since < 0):
        raise BadRequest("`since` must be a non-negative integer")
    snap = session_snapshot(
        _ns(),
        budget_ms=budget,
        threshold_bytes=threshold,
        shell=state.shell(),
        findings=findings,
        session=session if session is not None else SnapshotSession(),
        since=since,
        timeline=list(state.timeline().entries),
    )
    if session is not None:
        # what the guard event and the post-mortem name between cells
        state.HELPER.memory.known.remember(session.largest())
    return {"snapshot": snap}


def do_explain(args: Message, session: Optional[SnapshotSession] = None) -> Message:
    """Resident memory split into variables, hidden, baseline, allocator, unattributed."""
    budget = _number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS, 1.0, protocol.MAX_BUDGET_MS)
    result = explain(
        _ns(),
        budget_ms=budget,
        shell=state.shell(),
        session=session,
        baseline=state.HELPER.baseline(),
        limit=state.HELPER.limit.get(),
    )
    variables = result["parts"][0]
    state.HELPER.memory.known.remember(
        [{"name": t["name"], "bytes": t["bytes"]} for t in variables.get("top", []) if "name" in t]
    )
    return {"result": result}


def _optional_size(args: Message, key: str) -> None:
    """``key`` absent, null, or a positive integer of bytes."""
    if key in args:
        value = args[key]
        if value is not None and (type(value) is not int or not 0 < value < 2**63):
            raise BadRequest(f"`{key}` must be a positive number of bytes or null")


def do_guard(args: Message) -> Message:
    """Set the limit (``limit_bytes``) and arm or disarm the guard (``interrupt_at_bytes``)."""
    _optional_size(args, "limit_bytes")
    _optional_size(args, "interrupt_at_bytes")
    keys: Dict[str, object] = {
        k: args[k] for k in ("limit_bytes", "interrupt_at_bytes") if k in args
    }
    return {"result": state.HELPER.memory.set_guard(keys)}


def do_dataframe(args: Message) -> Message:
    """Per-column detail and dtype suggestions (LV103) for one DataFrame."""
    name = _name(args)
    budget = _number(args, "budget_ms", 5000.0, 1.0, 60_000.0)
    ns = _ns()
    if not dict.__contains__(ns, name):
        raise BadRequest(f"`{name}` is not defined")
    obj = dict.__getitem__(ns, name)
    df_type = loaded_attr("pandas", "DataFrame")
    if df_type is None or not issubclass(type(obj), df_type):
        raise BadRequest(f"`{name}` is not a pandas DataFrame")
    report = analyze_dataframe(obj, name, budget_s=budget / 1000.0)
    size = sum(c["memory_bytes"] for c in report["columns"]) + report["index_bytes"]
    del obj
    return {"dataframe": report, "findings": dtype_finding(name, size, report)}


def do_delete(args: Message) -> Message:
    """``delete_variable`` on the shell namespace."""
    name = args.get("name")
    if type(name) is not str:
        raise BadRequest("`name` must be a string")
    clear = _bool(args, "clear_output_cache", True)
    result = actions.delete_variable(_ns(), name, clear_output_cache=clear, shell=state.shell())
    if result["error"]:
        raise BadRequest(result["error"])
    return {"result": result}


def do_collect(args: Message) -> Message:
    """A full ``gc.collect()`` with its LV105 finding."""
    result = actions.collect_garbage()
    return {"result": result, "findings": lv105_uncollectable(collect_result=result)}


def do_timeline(args: Message) -> Message:
    """Per-cell memory history (plus the running cell)."""
    since = args.get("since", 0)
    if type(since) is not int or since < 0:
        raise BadRequest("`since` must be a non-negative integer")
    return {"timeline": state.timeline().snapshot(since)}


def do_profile(args: Message) -> Message:
    """Arm the next run of ``cell_id`` for a per-line memory profile.

    ``method`` (1.2): ``"tracemalloc"`` (exact, the default and all 1.1
    knew) or ``"sampled"``.
    """
    try:
        return arming.arm(args.get("cell_id"), args.get("method", "tracemalloc"))
    except ValueError as exc:
        raise BadRequest(str(exc)) from None


HANDLERS: Dict[str, Callable[[Message], Message]] = {
    "hello": do_hello,
    "snapshot": do_snapshot,
    "dataframe": do_dataframe,
    "delete": do_delete,
    "collect": do_collect,
    "clear_output_cache": lambda a: {"result": actions.clear_output_cache(state.shell())},
    "clear_last_error": lambda a: {"result": actions.clear_last_error(state.shell())},
    "close_figures": lambda a: {"result": actions.close_figures()},
    "release_to_os": lambda a: {"result": actions.release_to_os()},
    "timeline": do_timeline,
    "profile": do_profile,
    "explain": do_explain,
    "guard": do_guard,
}


def _check_protocol(value: Any) -> Optional[str]:
    if type(value) is not str:
        return "missing `protocol` version string"
    major = value.split(".", 1)[0]
    if major != str(protocol.PROTOCOL_MAJOR):
        return (
            f"protocol mismatch: the kernel helper {__version__} speaks "
            f"{protocol.PROTOCOL_VERSION}, the frontend sent {value}; "
            f"update the {'frontend' if major.isdigit() and int(major) < 1 else 'helper'}"
        )
    return None


def handle(data: Any, session: Optional[SnapshotSession] = None) -> Message:
    """Answer one request message. Never raises.

    ``session`` is the comm's snapshot state (progressive passes, deltas).
    """
    try:
        if type(data) is not dict:
            return _envelope(
                None, protocol.ERROR_REPLY, False, error="a request must be a JSON object"
            )
        req_id = data.get("id")
        if type(req_id) is not int:
            return _envelope(None, protocol.ERROR_REPLY, False, error="`id` must be an integer")
        rtype = data.get("type")
        if type(rtype) is not str or rtype not in HANDLERS:
            return _envelope(
                req_id,
                protocol.ERROR_REPLY,
                False,
                error=f"unknown request type {rtype!r}"
                if type(rtype) is str
                else "missing request `type`",
            )
        reply_type = f"{rtype}_reply"
        mismatch = _check_protocol(data.get("protocol"))
        if mismatch:
            return _envelope(req_id, reply_type, False, error=mismatch)
        if rtype in protocol.MUTATING_TYPES and _busy_elsewhere():
            return _envelope(
                req_id, reply_type, False, error="a cell is running; try again when it finishes"
            )
        # `snapshot` and `explain` use the comm's session (progressive passes, deltas)
        if rtype == "snapshot":
            fields = do_snapshot(data, session)
        elif rtype == "explain":
            fields = do_explain(data, session)
        else:
            fields = HANDLERS[rtype](data)
        return _envelope(req_id, reply_type, True, **fields)
    except BadRequest as exc:
        return _envelope(
            data.get("id"),
            f"{data.get('type')}_reply",
            False,
            error=exc.args[0] if exc.args else "bad request",
        )
    except Exception as exc:
        rtype = data.get("type") if type(data) is dict else None
        rid = data.get("id") if type(data) is dict and type(data.get("id")) is int else None
        reply_type = f"{rtype}_reply" if rtype in HANDLERS else protocol.ERROR_REPLY
        return _envelope(rid, reply_type, False, error=f"internal error: {exc_message(exc)}")


def _busy_elsewhere() -> bool:
    return (
        threading.current_thread() is not threading.main_thread()
        and state.timeline().running is not None
    )

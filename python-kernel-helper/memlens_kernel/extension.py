"""``%load_ext memlens_kernel``: comm target and per-cell hooks, idempotent."""

from __future__ import annotations

import types
from typing import Any, List

from . import state
from .comm import target as commtarget
from .features import postmortem
from .features.explain import top_variables
from .features.topvars import scan
from .introspect import loaded_attr
from .profiling import arming, magic
from .snapshot.namespace import sizes_snapshot
from .wire import NamedBytes

_MARK = "_memlens_hook"


def _remove_hooks(ip: Any) -> None:
    callbacks = getattr(getattr(ip, "events", None), "callbacks", None)
    if type(callbacks) is not dict:
        return
    for event in ("pre_run_cell", "post_run_cell"):
        for cb in list(callbacks.get(event, [])):
            # functions only; their __dict__ is read directly (no __getattr__)
            if type(cb) is types.FunctionType and cb.__dict__.get(_MARK):
                ip.events.unregister(event, cb)


def running_count(ip: Any) -> Any:
    """The execution count of the cell starting now (in ``pre_run_cell``).

    IPython 8+ counts a history-storing cell before ``pre_run_cell`` fires;
    earlier versions after it ran.
    """
    count = getattr(ip, "execution_count", None)
    version = loaded_attr("IPython", "version_info")
    if type(count) is int and type(version) is tuple and version[:1] >= (8,):
        return count - 1
    return count


def deep_top(ip: Any, budget_ms: float) -> List[NamedBytes]:
    """The largest variables by deep size, sized within ``budget_ms``."""
    ns = getattr(ip, "user_ns", None)
    if type(ns) is not dict:
        return []
    snap, _hidden = sizes_snapshot(ns, budget_ms=budget_ms, shell=ip, session=None)
    return [
        {"name": t["name"], "bytes": t["bytes"]}
        for t in top_variables(snap["variables"])
        if "name" in t
    ]


def load_ipython_extension(ip: Any) -> None:
    """Register the ``memlens`` comm target and the per-cell hooks on ``ip``.

    Calling it again (or from another copy of the helper, e.g. the bootstrap
    after an installed package) replaces the previous registration.
    """
    state.set_shell(ip)
    tl = state.timeline()
    memory = state.HELPER.memory
    ns = getattr(ip, "user_ns", None)
    baseline = state.HELPER.baseline(scan(ns, memory.known)[1] if type(ns) is dict else 0)
    memory.start(postmortem.record_path(postmortem.connection_file()))
    memory.deep_top = lambda budget_ms: deep_top(ip, budget_ms)
    _remove_hooks(ip)

    def pre_run_cell(info: Any = None) -> None:
        tl.pre_run_cell(info)
        if tl.running is not None:  # a user cell, not a frontend's silent request
            baseline.pre_run_cell(info)
            memory.pre_run_cell(info, running_count(ip))
        arming.pre_run_cell(info, ip)

    def post_run_cell(result: Any = None) -> None:
        user_cell = tl.running is not None
        try:
            arming.post_run_cell(result)
        finally:
            tl.post_run_cell(result)
            if user_cell:
                memory.post_run_cell(result, getattr(ip, "user_ns", None))
                baseline.post_run_cell(result, memory.data_growth)

    setattr(pre_run_cell, _MARK, True)
    setattr(post_run_cell, _MARK, True)
    ip.events.register("pre_run_cell", pre_run_cell)
    ip.events.register("post_run_cell", post_run_cell)
    if commtarget.send_event not in tl.listeners:
        tl.listeners.append(commtarget.send_event)
    if commtarget.send_guard not in memory.listeners:
        memory.listeners.append(commtarget.send_guard)
    if commtarget.send_profile not in arming.LISTENERS:
        arming.LISTENERS.append(commtarget.send_profile)
    magic.register(ip)
    commtarget.register_target(ip)


def unload_ipython_extension(ip: Any) -> None:
    """Remove the hooks and the comm target."""
    _remove_hooks(ip)
    arming.reset()
    commtarget.unregister_target(ip)

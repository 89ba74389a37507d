"""Actions the panel offers. Names are looked up, never executed."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import keyword
import sys
import time
from typing import Any, List, Optional

from .. import facts
from ..introspect import Namespace, current_shell, exc_message, loaded_attr
from ..sizing import Engine
from ..snapshot.holders import OUTPUT_NAME, collect_holders, is_ipython_name
from ..wire import ClearResult, CloseFiguresResult, CollectResult, DeleteResult, ReleaseResult
from . import allocator


def _deep_size(obj: Any) -> Optional[int]:
    eng = Engine(time.perf_counter() + 1.0, {})
    try:
        acc, _ = eng.measure(obj)
        return int(acc.bytes)
    except Exception:
        return None
    finally:
        eng.close()


def _drop_output_refs(obj: Any, ns: Namespace, shell: Any) -> List[str]:
    """Remove every output-cache reference to ``obj``; return what was cleared."""
    cleared: List[str] = []
    out = ns.get("Out")
    if type(out) is dict:
        for key in [k for k, v in list(dict.items(out)) if v is obj]:
            dict.__delitem__(out, key)
            cleared.append(f"Out[{key}]")
    for name in [n for n, v in list(dict.items(ns)) if v is obj and type(n) is str]:
        if OUTPUT_NAME.match(name):
            ns[name] = ""
            cleared.append(name)
    hidden = getattr(shell, "user_ns_hidden", None) if shell is not None else None
    if type(hidden) is dict:
        # IPython mirrors `_n` (and `_`) into user_ns_hidden
        for name in [n for n, v in list(dict.items(hidden)) if v is obj and type(n) is str]:
            if OUTPUT_NAME.match(name):
                dict.__delitem__(hidden, name)
    hook = getattr(shell, "displayhook", None) if shell is not None else None
    if hook is not None:
        for attr in ("_", "__", "___"):
            if getattr(hook, attr, None) is obj:
                setattr(hook, attr, "")
    _drop_last_result(shell, obj)
    return cleared


def _drop_last_result(shell: Any, obj: Any = None) -> None:
    last = getattr(shell, "last_execution_result", None) if shell is not None else None
    if last is not None and (obj is None or getattr(last, "result", None) is obj):
        last.result = None


def _remaining_holders(obj: Any, ns: Namespace, shell: Any) -> List[str]:
    names = [n for n, v in list(dict.items(ns)) if v is obj and type(n) is str]
    holders = collect_holders(ns, shell)
    try:
        return names + list(holders.get(id(obj), []))
    finally:
        holders.release()


def delete_variable(
    ns: Namespace, name: str, *, clear_output_cache: bool = True, shell: Optional[Any] = None
) -> DeleteResult:
    """Delete ``name`` from ``ns`` (and its output-cache references), then collect.

    Returns ``{"deleted", "freed_bytes", "still_held_by", "error"}``; refuses
    (``deleted: false``) a name that is not a valid identifier or not present.
    """
    result: DeleteResult = {
        "deleted": False,
        "freed_bytes": None,
        "still_held_by": [],
        "cleared": [],
        "error": None,
    }
    if type(name) is not str or not name.isidentifier() or keyword.iskeyword(name):
        result["error"] = "not a valid Python identifier"
        return result
    if is_ipython_name(name):
        result["error"] = f"`{name}` belongs to IPython; use clear_output_cache instead"
        return result
    try:
        if not dict.__contains__(ns, name):
            result["error"] = f"`{name}` is not defined in the namespace"
            return result
        shell = shell if shell is not None else current_shell()
        obj = dict.__getitem__(ns, name)
        size = _deep_size(obj)
        rss_before = facts.rss_bytes()
        dict.__delitem__(ns, name)
        result["deleted"] = True
        if clear_output_cache:
            result["cleared"] = _drop_output_refs(obj, ns, shell)
        still = _remaining_holders(obj, ns, shell)
        # getrefcount: our local + its own argument. More means a holder we
        # cannot name (a container, a closure, C code).
        extra = sys.getrefcount(obj) - 2
        del obj
        gc.collect()
        result["still_held_by"] = still
        if not still and extra <= 0:
            result["freed_bytes"] = size
        elif not still:
            result["still_held_by"] = ["another reference (not a variable)"]
            result["freed_bytes"] = 0
        else:
            result["freed_bytes"] = 0
        result["rss_before"] = rss_before
        result["rss_after"] = facts.rss_bytes()
    except Exception as exc:
        result["error"] = exc_message(exc)
    return result


def collect_garbage() -> CollectResult:
    """A full collection: objects collected per generation, RSS before and after."""
    t0 = time.perf_counter()
    before = [s.get("collected", 0) for s in gc.get_stats()]
    rss_before = facts.rss_bytes()
    collected = gc.collect()
    after = [s.get("collected", 0) for s in gc.get_stats()]
    rss_after = facts.rss_bytes()
    freed = (rss_before - rss_after) if rss_before and rss_after else None
    return {
        "collected": int(collected),
        "per_generation": [int(a - b) for a, b in zip(after, before)],
        "uncollectable": len(gc.garbage),
        "rss_before": rss_before,
        "rss_after": rss_after,
        "freed_bytes": max(freed, 0) if freed is not None else None,
        "elapsed_ms": round((time.perf_counter() - t0) * 1000, 3),
    }


def _sync_hidden_underscores(shell: Any) -> None:
    """After IPython's flush: ``_``, ``__``, ``___`` in ``user_ns_hidden`` as in ``user_ns``.

    IPython's ``push(..., interactive=False)`` puts the last three results in
    both namespaces; its ``flush`` resets them in ``user_ns`` only, so the
    last displayed value stayed alive in ``user_ns_hidden``.
    """
    hidden = getattr(shell, "user_ns_hidden", None)
    ns = getattr(shell, "user_ns", None)
    if type(hidden) is not dict or type(ns) is not dict:
        return
    for name in ("_", "__", "___"):
        if dict.__contains__(hidden, name):
            dict.__setitem__(hidden, name, dict.get(ns, name, ""))


def clear_output_cache(shell: Optional[Any] = None) -> ClearResult:
    """Empty ``Out`` and ``_``, ``__``, ``___``, ``_n`` (IPython's own flush), also
    where IPython's flush leaves them (``user_ns_hidden``, the last result)."""
    shell = shell if shell is not None else current_shell()
    rss_before = facts.rss_bytes()
    hook = getattr(shell, "displayhook", None)
    out = getattr(shell, "user_ns", {}).get("Out") if shell is not None else None
    cleared = len(out) if type(out) is dict else 0
    if hook is None or not getattr(hook, "do_full_cache", False):
        return {
            "cleared": 0,
            "rss_before": rss_before,
            "rss_after": rss_before,
            "error": "no IPython output cache",
        }
    hook.flush()
    _sync_hidden_underscores(shell)
    _drop_last_result(shell)
    gc.collect()
    return {"cleared": cleared, "rss_before": rss_before, "rss_after": facts.rss_bytes()}


def clear_last_error(shell: Optional[Any] = None) -> ClearResult:
    """Drop the last exception: ``sys.last_*`` and the shell's traceback holder."""
    shell = shell if shell is not None else current_shell()
    rss_before = facts.rss_bytes()
    had = any(
        getattr(sys, a, None) is not None for a in ("last_value", "last_traceback", "last_exc")
    )
    for attr in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, attr):
            delattr(sys, attr)
    itb = getattr(shell, "InteractiveTB", None) if shell is not None else None
    if itb is not None and getattr(itb, "tb", None) is not None:
        itb.tb = None
        had = True
    # IPython keeps the exception (and so its frames) on the last result too
    last = getattr(shell, "last_execution_result", None) if shell is not None else None
    if last is not None and getattr(last, "error_in_exec", None) is not None:
        last.error_in_exec = None
        had = True
    gc.collect()
    return {"cleared": had, "rss_before": rss_before, "rss_after": facts.rss_bytes()}


def close_figures() -> CloseFiguresResult:
    """``plt.close("all")`` when pyplot is already imported."""
    close = loaded_attr("matplotlib.pyplot", "close")
    gcf = loaded_attr("matplotlib._pylab_helpers", "Gcf")
    if close is None or gcf is None:
        return {"closed": 0}
    n = len(gcf.figs)
    close("all")
    gc.collect()
    return {"closed": n}


def release_to_os() -> ReleaseResult:
    """``malloc_trim(0)`` on glibc: give freed heap pages back; RSS before/after."""
    rss_before = facts.rss_bytes()
    trimmed = False
    error = None
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            trim = getattr(libc, "malloc_trim", None)
            if trim is None:
                error = "malloc_trim is not available (not glibc)"
            else:
                trim.argtypes = [ctypes.c_size_t]
                trim(0)
                allocator.note_trim()
                trimmed = True
        except OSError as exc:
            error = exc_message(exc)
    else:
        error = "malloc_trim is only available on Linux/glibc"
    rss_after = facts.rss_bytes()
    released = (rss_before - rss_after) if rss_before and rss_after else None
    return {
        "trimmed": trimmed,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "released_bytes": max(released, 0) if released is not None else None,
        "error": error,
    }

"""``inspect_namespace``: the snapshot payload the comm sends."""

from __future__ import annotations

import gc
import time
import types
from typing import Any, Dict, List, Optional, Tuple

from . import facts
from .findings import FindingContext, run_findings
from .findings.base import OBJECTS_MIN_BYTES
from .holders import IPYTHON_NAMES, OUTPUT_NAME, collect_holders, is_ipython_name
from .introspect import exc_message, loaded_attr, public_type_name, type_module
from .sizing import Engine, OutOfTime
from .sizing.kinds import ATOM, MAP, SEQ, SET, SHARED, SKIP
from .sizing.sizers_numpy import owned_array
from .sizing.small import atom_size, small_tree

MIN_ERROR = 0.005
HIDDEN_MIN_BYTES = 64 * 1024
HIDDEN_MAX = 20
_SKIP_REASONS = {
    types.ModuleType: "module",
    types.FunctionType: "function",
    types.BuiltinFunctionType: "function",
    types.MethodType: "function",
}


def current_shell() -> Optional[Any]:
    """The running IPython shell, if IPython is already imported."""
    get_ipython = loaded_attr("IPython", "get_ipython")
    if get_ipython is None:
        return None
    try:
        return get_ipython()
    except Exception:
        return None


def _items(ns: Dict[str, Any]) -> List[Tuple[str, Any]]:
    # dict.items in C is atomic under the GIL; retry if a running cell
    # resized the dict between our calls.
    for _ in range(5):
        try:
            return [(k, v) for k, v in dict.items(ns) if type(k) is str]
        except RuntimeError:
            continue
    return []


def _skip_reason(name: str, value: Any, hidden: Dict[str, Any], eng: Engine) -> Optional[str]:
    if is_ipython_name(name):
        return "ipython"
    if name in hidden and hidden.get(name) is value:
        return "ipython"
    t = type(value)
    reason = _SKIP_REASONS.get(t)
    if reason:
        return reason
    kind = eng.kinds.get(t)
    if kind is None:
        kind = eng.classify(t)
    if kind is not SKIP:
        return None
    if kind is SKIP:
        if issubclass(t, type):
            return "class"
        if type_module(t).split(".", 1)[0] == "memlens_kernel":
            return "memlens"
        return "internal"
    return None


def _builtin_len(value: Any, kind: int) -> Optional[int]:
    if kind in (SEQ, MAP, SET):
        return Engine._container_len(value, kind)
    t = type(value)
    if t in (str, bytes, bytearray):
        return t.__len__(value)
    return None


def _record(name: str, value: Any, eng: Engine, type_names: Dict[type, str]) -> Dict[str, Any]:
    t = type(value)
    rec: Dict[str, Any] = {"name": name, "type": public_type_name(t, type_names)}
    try:
        acc, meta = eng.measure(value)
    except OutOfTime:
        raise
    except Exception as exc:
        rec.update(
            size_bytes=None,
            size_exact=False,
            size_error=None,
            shape=None,
            len=None,
            dtype=None,
            storage="heap",
            error=exc_message(exc),
        )
        return rec
    size = round(acc.bytes)
    if not meta:  # plain Python object: the common case in a big namespace
        rec["size_bytes"] = size
        rec["size_exact"] = exact = acc.exact
        rec["size_error"] = 0.0 if exact else _rel_error(acc.err, size)
        rec["shape"] = None
        rec["len"] = _builtin_len(value, eng.kinds.get(t, -1))
        rec["dtype"] = None
        rec["storage"] = "heap"
        rec["_new"] = acc.new
        return rec
    rec["size_bytes"] = size
    rec["size_exact"] = acc.exact
    if acc.exact:
        rec["size_error"] = 0.0
    elif meta.get("storage") == "lazy":
        rec["size_error"] = None
    else:
        rec["size_error"] = _rel_error(acc.err, size)
    rec["shape"] = meta.get("shape")
    rec["len"] = meta["len"] if "len" in meta else _builtin_len(value, eng.kinds.get(t, -1))
    rec["dtype"] = meta.get("dtype")
    rec["storage"] = meta.get("storage", "heap")
    for key in _META_EXTRA:
        if key in meta:
            rec[key] = meta[key]
    rec["_new"] = acc.new
    return rec


_META_EXTRA = ("owns_data", "base", "device", "virtual_bytes", "nnz", "partitions")


def _rel_error(err: float, size: int) -> float:
    # sampling never claims better than MIN_ERROR (rare items may be missed)
    return round(max(err / size, MIN_ERROR), 4) if size else MIN_ERROR


def inspect_namespace(
    ns: Dict[str, Any],
    *,
    budget_ms: float = 200.0,
    threshold_bytes: int = 50 * 2**20,
    shell: Optional[Any] = None,
    findings: bool = True,
) -> Dict[str, Any]:
    """Deep sizes and holders of every user variable in ``ns``.

    Never raises, never runs user code, never imports a library, holds no
    reference to user objects after returning. Past ``budget_ms`` the
    remaining names are listed with ``pending: true`` and ``complete`` is false.
    """
    t0 = time.perf_counter()
    # A collection triggered by our own small allocations would traverse the
    # user's whole heap (a 10M-item list costs tens of ms per full pass).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        snapshot = _inspect(ns, t0, float(budget_ms), int(threshold_bytes), shell, findings)
    except Exception as exc:
        snapshot = {
            "elapsed_ms": round((time.perf_counter() - t0) * 1000, 3),
            "budget_ms": budget_ms,
            "complete": False,
            "variables": [],
            "skipped": [],
            "hidden": [],
            "findings": [],
            "total_bytes": 0,
            "gc": facts.gc_facts(),
            "process": facts.process_facts(),
            "error": exc_message(exc),
        }
    finally:
        if gc_was_enabled:
            gc.enable()
    # The collector was paused by us, not by the user: report their setting.
    snapshot["gc"]["enabled"] = gc_was_enabled
    return snapshot


def _inspect(
    ns: Dict[str, Any],
    t0: float,
    budget_ms: float,
    threshold: int,
    shell: Optional[Any],
    want_findings: bool,
) -> Dict[str, Any]:
    deadline = t0 + budget_ms / 1000.0
    if shell is None:
        shell = current_shell()
    items = _items(ns)
    hidden_ns = getattr(shell, "user_ns_hidden", None) if shell is not None else None
    hidden_ns = hidden_ns if type(hidden_ns) is dict else {}
    first_name: Dict[int, str] = {}
    eng = Engine(deadline, first_name)
    holders = collect_holders(ns, shell)
    type_names: Dict[type, str] = {}
    user, skipped, seen, aliases = _classify(items, hidden_ns, eng, first_name)
    variables: List[Dict[str, Any]] = []
    oids: List[int] = []
    objects: Dict[str, Any] = {}
    storage_totals: Dict[str, float] = {}
    complete = True
    try:
        complete = _size_all(user, eng, holders, type_names, variables, oids, storage_totals)
        if aliases:
            _alias_holders(variables, oids, aliases, holders)
        floor = min(threshold, OBJECTS_MIN_BYTES)
        for var, (name, value) in zip(variables, user):
            size = var["size_bytes"]
            if size is not None and size >= floor:
                objects[name] = value
        hidden = _hidden(holders, seen, aliases, eng, type_names, deadline)
        found: List[Dict[str, Any]] = []
        if want_findings:
            ctx = FindingContext(variables, objects, hidden, eng, threshold, deadline, shell)
            found = run_findings(ctx)
            ctx.release()
        payload = {
            "elapsed_ms": 0.0,
            "budget_ms": budget_ms,
            "complete": complete,
            "variables": variables,
            "skipped": skipped,
            "hidden": hidden,
            "findings": found,
            "total_bytes": round(sum(storage_totals.values())),
            "total_by_storage": {k: round(v) for k, v in storage_totals.items()},
            "gc": facts.gc_facts(),
            "process": facts.process_facts(),
        }
    finally:
        eng.close()
        holders.release()
        objects.clear()
        first_name.clear()
        seen.clear()
        del items, user
    payload["elapsed_ms"] = round((time.perf_counter() - t0) * 1000, 3)
    return payload


def _classify(
    items: List[Tuple[str, Any]],
    hidden_ns: Dict[str, Any],
    eng: Engine,
    first_name: Dict[int, str],
) -> Tuple[List[Tuple[str, Any]], List[Dict[str, str]], Dict[int, str], Dict[int, List[str]]]:
    """User variables, skipped names, ``id -> first name`` of every name and
    ``id -> names`` for objects bound to several names."""
    user: List[Tuple[str, Any]] = []
    skipped: List[Dict[str, str]] = []
    seen: Dict[int, str] = {}
    aliases: Dict[int, List[str]] = {}
    kinds = eng.kinds
    hidden_get = hidden_ns.get
    missing = object()
    for name, value in items:
        oid = id(value)
        prev = seen.setdefault(oid, name)
        if prev is not name:
            if oid in aliases:
                aliases[oid].append(name)
            else:
                aliases[oid] = [prev, name]
        t = type(value)
        kind = kinds.get(t)
        if kind is None:
            kind = eng.classify(t)
        if (
            kind is SKIP
            or name[:1] == "_"
            or name in IPYTHON_NAMES
            or t in _SKIP_REASONS
            or hidden_get(name, missing) is value
        ):
            reason = _skip_reason(name, value, hidden_ns, eng)
            if reason is not None:
                if reason != "ipython":
                    skipped.append({"name": name, "reason": reason})
                continue
        user.append((name, value))
        first_name.setdefault(oid, name)
    return user, skipped, seen, aliases


def _size_all(
    user: List[Tuple[str, Any]],
    eng: Engine,
    holders: Any,
    type_names: Dict[type, str],
    variables: List[Dict[str, Any]],
    oids: List[int],
    storage_totals: Dict[str, float],
) -> bool:
    """One record per user variable, in order; False when the budget ran out.

    Scalars and small builtin containers (most names of a big namespace) are
    recorded inline with the same numbers ``_record`` would give; the rest
    goes through the engine.
    """
    clock = time.perf_counter
    deadline = eng.deadline
    kinds = eng.kinds
    glob = eng.glob
    held_get = holders.get
    tn_get = type_names.get
    append = variables.append
    oid_append = oids.append
    ndarray = loaded_attr("numpy", "ndarray") or _NoType
    heap = 0
    inline = False
    complete = True
    for index, (name, value) in enumerate(user):
        # reading the clock every name costs more than sizing a scalar
        if complete and not index & 15 and clock() > deadline:
            complete = False
        oid = id(value)
        oid_append(oid)
        t = type(value)
        if not complete:
            append(_pending(name, value, type_names))
            continue
        held = held_get(oid)
        tname = tn_get(t) or public_type_name(t, type_names)
        kind = kinds.get(t)
        rec = None
        if kind is ATOM or kind is SHARED:
            size = atom_size(value, t) if kind is ATOM else 0
            if size and oid not in glob:
                glob.add(oid)
                heap += size
            rec = {
                "name": name,
                "type": tname,
                "size_bytes": size,
                "size_exact": True,
                "size_error": 0.0,
                "shape": None,
                "len": t.__len__(value) if t in _LEN_ATOMS else None,
                "dtype": None,
                "storage": "heap",
                "held_by": list(held) if held else [],
            }
        elif t is list or t is tuple or t is dict:
            try:
                small = small_tree(value, kinds, glob)
            except Exception:  # resized by a running cell: take the general path
                small = None
            if small is not None:
                heap += small[1]
                rec = {
                    "name": name,
                    "type": tname,
                    "size_bytes": small[0],
                    "size_exact": True,
                    "size_error": 0.0,
                    "shape": None,
                    "len": len(value),
                    "dtype": None,
                    "storage": "heap",
                    "held_by": list(held) if held else [],
                }
        elif t is ndarray:
            arr = owned_array(value, eng)
            if arr is not None:
                heap += arr[1]
                shape = arr[2]
                rec = {
                    "name": name,
                    "type": tname,
                    "size_bytes": arr[0],
                    "size_exact": True,
                    "size_error": 0.0,
                    "shape": shape,
                    "len": shape[0] if shape else None,
                    "dtype": arr[3],
                    "storage": "heap",
                    "owns_data": True,
                    "held_by": list(held) if held else [],
                }
        if rec is not None:
            inline = True
        else:
            try:
                rec = _record(name, value, eng, type_names)
            except OutOfTime:
                complete = False
                append(_pending(name, value, type_names))
                continue
            new = rec.pop("_new", 0.0)
            storage = rec["storage"]
            storage_totals[storage] = storage_totals.get(storage, 0.0) + new
            rec["held_by"] = list(held) if held else []
        append(rec)
    if inline:
        storage_totals["heap"] = storage_totals.get("heap", 0.0) + heap
    return complete


_LEN_ATOMS = frozenset({str, bytes, bytearray})


class _NoType:
    """Stands for a library type that is not loaded (no value has it)."""


def _alias_holders(
    variables: List[Dict[str, Any]],
    oids: List[int],
    aliases: Dict[int, List[str]],
    holders: Any,
) -> None:
    """Other names bound to the same object come first in ``held_by``."""
    for rec, oid in zip(variables, oids):
        same = aliases.get(oid)
        if same is None or rec.get("pending"):
            continue
        name = rec["name"]
        others = [n for n in same if n != name]
        held = holders.get(oid)
        rec["held_by"] = others + [h for h in held if h not in others] if held else others


def _pending(name: str, value: Any, type_names: Dict[type, str]) -> Dict[str, Any]:
    return {
        "name": name,
        "type": public_type_name(type(value), type_names),
        "size_bytes": None,
        "size_exact": False,
        "size_error": None,
        "shape": None,
        "len": None,
        "dtype": None,
        "held_by": [],
        "storage": "heap",
        "pending": True,
    }


def _hidden(
    holders: Any,
    seen: Dict[int, str],
    aliases: Dict[int, List[str]],
    eng: Engine,
    type_names: Dict[type, str],
    deadline: float,
) -> List[Dict[str, Any]]:
    """Objects kept alive only by IPython or the last exception (no user name)."""
    out: List[Dict[str, Any]] = []
    for oid, labels in list(holders.items()):
        names = aliases.get(oid) or ([seen[oid]] if oid in seen else [])
        if any(not OUTPUT_NAME.match(n) and not is_ipython_name(n) for n in names):
            continue
        obj = holders.objects.get(oid)
        if obj is None or time.perf_counter() > deadline:
            continue
        t = type(obj)
        kind = eng.kinds.get(t)
        if kind is None:
            kind = eng.classify(t)
        if kind is SKIP:
            continue
        try:
            acc, _meta = eng.measure(obj)
        except Exception:
            continue
        size = round(acc.bytes)
        if size < HIDDEN_MIN_BYTES:
            continue
        out.append(
            {
                "holders": labels + [n for n in names if n not in labels],
                "type": public_type_name(t, type_names),
                "size_bytes": size,
                "size_exact": acc.exact,
            }
        )
    out.sort(key=lambda h: -h["size_bytes"])
    return out[:HIDDEN_MAX]

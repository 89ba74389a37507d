"""One record per user variable: the ``variables`` list of a snapshot.

A big namespace is mostly scalars, small lists/tuples/dicts of scalars and
small arrays. ``Recorder.run`` decides skip-or-size and builds the record of
those in one pass, with the same numbers the engine gives (``sizing.small``,
``sizers_numpy.owned_array``); every other value goes through
``Engine.measure`` (``record``). Names bound to the same object are fixed up
after the pass, because an alias may come later in the namespace.
"""

from __future__ import annotations

import time
import types
from typing import Any, Dict, List, Optional, Tuple

from .holders import IPYTHON_NAMES, is_ipython_name
from .introspect import exc_message, loaded_attr, public_type_name, type_module
from .sizing import Engine, OutOfTime
from .sizing.kinds import ATOM, MAP, SEQ, SET, SHARED, SKIP
from .sizing.sizers_numpy import nd, owned_array
from .sizing.small import FLOAT_SIZE, atom_size, int_sizeof, small_tree, str_sizeof

MIN_ERROR = 0.005
SKIP_REASONS = {
    types.ModuleType: "module",
    types.FunctionType: "function",
    types.BuiltinFunctionType: "function",
    types.MethodType: "function",
}
_META_EXTRA = ("owns_data", "base", "device", "virtual_bytes", "nnz", "partitions")
_LEN_ATOMS = frozenset({str, bytes, bytearray})
_MISSING = object()


def skip_reason(name: str, value: Any, hidden: Dict[str, Any], eng: Engine) -> Optional[str]:
    """Why ``name`` is not reported as a variable (None: it is)."""
    if is_ipython_name(name):
        return "ipython"
    if name in hidden and hidden.get(name) is value:
        return "ipython"
    t = type(value)
    reason = SKIP_REASONS.get(t)
    if reason:
        return reason
    kind = eng.kinds.get(t)
    if kind is None:
        kind = eng.classify(t)
    if kind is not SKIP:
        return None
    if issubclass(t, type):
        return "class"
    if type_module(t).split(".", 1)[0] == "memlens_kernel":
        return "memlens"
    return "internal"


def _builtin_len(value: Any, kind: int) -> Optional[int]:
    if kind in (SEQ, MAP, SET):
        return Engine._container_len(value, kind)
    t = type(value)
    if t in (str, bytes, bytearray):
        return t.__len__(value)
    return None


def record(name: str, value: Any, eng: Engine, type_names: Dict[type, str]) -> Dict[str, Any]:
    """The record of one variable through the engine (``_new``: bytes new to the snapshot)."""
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
    if not meta:  # plain Python object
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


def _rel_error(err: float, size: int) -> float:
    # sampling never claims better than MIN_ERROR (rare items may be missed)
    return round(max(err / size, MIN_ERROR), 4) if size else MIN_ERROR


def pending(name: str, value: Any, type_names: Dict[type, str]) -> Dict[str, Any]:
    """The record of a name the budget did not reach."""
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


class FirstNames:
    """``id -> first user name`` bound to it, built on the first lookup.

    Only a numpy view asks (for its ``base``), so a namespace without views
    never pays for the index.
    """

    def __init__(self, items: List[Tuple[str, Any]], hidden: Dict[str, Any], eng: Engine):
        self._items: Optional[List[Tuple[str, Any]]] = items
        self._hidden = hidden
        self._eng = eng
        self._names: Optional[Dict[int, List[str]]] = None

    def get(self, oid: int, default: Optional[str] = None) -> Optional[str]:
        """The first user name bound to the object with id ``oid``."""
        if self._names is None:
            names: Dict[int, List[str]] = {}
            for name, value in self._items or ():
                names.setdefault(id(value), []).append(name)
            self._names = names
        for name, value in self._candidates(oid):
            if skip_reason(name, value, self._hidden, self._eng) is None:
                return name
        return default

    def _candidates(self, oid: int) -> List[Tuple[str, Any]]:
        wanted = set((self._names or {}).get(oid, ()))
        if not wanted:
            return []
        return [(n, v) for n, v in self._items or () if n in wanted and id(v) == oid]

    def clear(self) -> None:
        """Drop the references to the namespace."""
        self._items = None
        self._names = None
        self._hidden = {}


class Recorder:
    """Builds the ``variables`` of one snapshot; ``run`` is the hot loop."""

    def __init__(self, eng: Engine, holders: Any, hidden: Dict[str, Any], min_object: int):
        self.eng = eng
        self.holders = holders
        self.hidden = hidden
        self.min_object = min_object
        self.type_names: Dict[type, str] = {}
        self.variables: List[Dict[str, Any]] = []
        self.skipped: List[Dict[str, str]] = []
        # id -> first name of any kind, and every name of objects with several
        self.seen: Dict[int, str] = {}
        self.aliases: Dict[int, List[str]] = {}
        # values of records at least ``min_object`` bytes, for the findings
        self.objects: Dict[str, Any] = {}
        self.storage_totals: Dict[str, float] = {}
        self.complete = True

    def run(self, items: List[Tuple[str, Any]]) -> None:
        """Skip or size every name, in namespace order."""
        eng = self.eng
        clock = time.perf_counter
        deadline = eng.deadline
        kinds = eng.kinds
        classify = eng.classify
        glob = eng.glob
        held_get = self.holders.get
        hidden = self.hidden
        hidden_get = hidden.get
        type_names = self.type_names
        tn_get = type_names.get
        variables = self.variables
        append = variables.append
        oids: List[int] = []
        oid_append = oids.append
        seen_setdefault = self.seen.setdefault
        aliases = self.aliases
        objects = self.objects
        min_object = self.min_object
        storage_totals = self.storage_totals
        ndarray = loaded_attr("numpy", "ndarray")
        g = nd() if ndarray is not None else None
        dtypes: Dict[int, Tuple[Any, str, bool]] = {}
        heap = 0
        inline = False
        complete = True
        for index, (name, value) in enumerate(items):
            oid = id(value)
            prev = seen_setdefault(oid, name)
            if prev is not name:
                if oid in aliases:
                    aliases[oid].append(name)
                else:
                    aliases[oid] = [prev, name]
            t = type(value)
            kind = kinds.get(t)
            if kind is None:
                kind = classify(t)
            if (
                kind is SKIP
                or name[:1] == "_"
                or name in IPYTHON_NAMES
                or t in SKIP_REASONS
                or hidden_get(name, _MISSING) is value
            ):
                reason = skip_reason(name, value, hidden, eng)
                if reason is not None:
                    if reason != "ipython":
                        self.skipped.append({"name": name, "reason": reason})
                    continue
            # reading the clock every name costs more than sizing a scalar
            if complete and not index & 15 and clock() > deadline:
                complete = False
            oid_append(oid)
            if not complete:
                append(pending(name, value, type_names))
                continue
            held = held_get(oid)
            tname = tn_get(t) or public_type_name(t, type_names)
            rec = None
            if kind is ATOM:
                # atom_size inlined for the three commonest scalars
                n = None
                if t is int:
                    size = 0 if -5 <= value <= 256 else (int_sizeof(value) + 7) & ~7
                elif t is float:
                    size = FLOAT_SIZE
                elif t is str:
                    n = str.__len__(value)
                    size = str_sizeof(value) if n > 1 else 0
                else:
                    size = atom_size(value, t)
                    if t in _LEN_ATOMS:
                        n = t.__len__(value)
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
                    "len": n,
                    "dtype": None,
                    "storage": "heap",
                    "held_by": list(held) if held else [],
                }
            elif kind is SHARED:
                size = 0
                rec = {
                    "name": name,
                    "type": tname,
                    "size_bytes": 0,
                    "size_exact": True,
                    "size_error": 0.0,
                    "shape": None,
                    "len": None,
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
                    size = small[0]
                    heap += small[1]
                    rec = {
                        "name": name,
                        "type": tname,
                        "size_bytes": size,
                        "size_exact": True,
                        "size_error": 0.0,
                        "shape": None,
                        "len": len(value),
                        "dtype": None,
                        "storage": "heap",
                        "held_by": list(held) if held else [],
                    }
            elif t is ndarray:
                try:
                    arr = owned_array(value, g, glob, dtypes)
                except Exception:  # the engine's path records the error
                    arr = None
                if arr is not None:
                    size = arr[0]
                    heap += arr[1]
                    shape = arr[2]
                    rec = {
                        "name": name,
                        "type": tname,
                        "size_bytes": size,
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
                    rec = record(name, value, eng, type_names)
                except OutOfTime:
                    complete = False
                    append(pending(name, value, type_names))
                    continue
                new = rec.pop("_new", 0.0)
                storage = rec["storage"]
                storage_totals[storage] = storage_totals.get(storage, 0.0) + new
                rec["held_by"] = list(held) if held else []
                size = rec["size_bytes"]
                if size is None:
                    size = 0
            if size >= min_object:
                objects[name] = value
            append(rec)
        if inline:
            storage_totals["heap"] = storage_totals.get("heap", 0.0) + heap
        self.complete = complete
        if aliases:
            self._alias_holders(oids)

    def _alias_holders(self, oids: List[int]) -> None:
        """Other names bound to the same object come first in ``held_by``."""
        aliases = self.aliases
        for rec, oid in zip(self.variables, oids):
            same = aliases.get(oid)
            if same is None or rec.get("pending"):
                continue
            name = rec["name"]
            others = [n for n in same if n != name]
            held = self.holders.get(oid)
            rec["held_by"] = others + [h for h in held if h not in others] if held else others

    def release(self) -> None:
        """Drop every reference to user objects."""
        self.objects.clear()
        self.seen.clear()
        self.aliases.clear()
        self.holders = None
        self.hidden = {}

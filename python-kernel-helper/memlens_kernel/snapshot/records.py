"""One record per user variable: the ``variables`` list of a snapshot.

``Recorder.run`` goes through its real steps: pick the names to report
(``_candidates``), order them biggest-looking first when a pass may span
several requests (``_order``), size each one (``_size``: scalars, small
builtin trees and owned arrays inline, with the same numbers the engine gives;
the rest through ``Engine.measure``), then fill ``held_by`` (``_set_holders``),
because an alias may come later in the namespace. Every record is built by
``make_record``.
"""

from __future__ import annotations

import sys
import time
import types
from typing import Any, Dict, Hashable, List, Literal, Optional, Sequence, Tuple, Union

from ..introspect import Namespace, exc_message, loaded_attr, public_type_name, type_module
from ..sizing import Engine, OutOfTime
from ..sizing.kinds import ATOM, MAP, SEQ, SET, SHARED, SKIP
from ..sizing.sizers_numpy import nd, owned_array
from ..sizing.small import FLOAT_SIZE, atom_size, int_sizeof, small_tree, str_sizeof
from ..wire import Skipped, Variable
from .holders import IPYTHON_NAMES, OUTPUT_NAME, is_ipython_name
from .passes import Known, KnownRecord, fingerprint, is_stable, order_key

# Where a variable's data lives (``Variable.storage``).
Storage = Literal["heap", "file", "device", "lazy"]
MIN_ERROR = 0.005
SkipReason = Literal["module", "function", "class", "internal", "memlens"]
SKIP_REASONS: Dict[type, SkipReason] = {
    types.ModuleType: "module",
    types.FunctionType: "function",
    types.BuiltinFunctionType: "function",
    types.MethodType: "function",
}
_META_EXTRA = ("owns_data", "base", "device", "virtual_bytes", "nnz", "partitions")
_LEN_ATOMS = frozenset({str, bytes, bytearray})
_MISSING = object()


def skip_reason(
    name: str, value: Any, hidden: Namespace, eng: Engine
) -> Optional[Union[SkipReason, Literal["ipython"]]]:
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


def make_record(
    name: str,
    tname: str,
    size: Optional[int],
    *,
    exact: bool = True,
    error: Optional[float] = 0.0,
    shape: Optional[Sequence[Optional[int]]] = None,
    n: Optional[int] = None,
    dtype: Optional[str] = None,
    storage: Storage = "heap",
) -> Variable:
    """The one place a variable record is built (``held_by`` is filled last)."""
    return {
        "name": name,
        "type": tname,
        "size_bytes": size,
        "size_exact": exact,
        "size_error": error,
        "shape": list(shape) if shape is not None else None,
        "len": n,
        "dtype": dtype,
        "storage": storage,
        "held_by": [],
    }


def record(
    name: str, value: Any, eng: Engine, type_names: Dict[type, str]
) -> Tuple[Variable, float]:
    """The record of one variable through the engine, and its bytes new to the snapshot."""
    t = type(value)
    tname = public_type_name(t, type_names)
    try:
        acc, meta = eng.measure(value)
    except OutOfTime:
        raise
    except Exception as exc:
        rec = make_record(name, tname, None, exact=False, error=None)
        rec["error"] = exc_message(exc)
        return rec, 0.0
    size = round(acc.bytes)
    if acc.exact:
        error: Optional[float] = 0.0
    elif acc.native or meta.get("storage") == "lazy":
        # a lower bound: how much native memory is missing is unknown
        error = None
    else:
        error = _rel_error(acc.err, size)
    n = meta["len"] if "len" in meta else _builtin_len(value, eng.kinds.get(t, -1))
    storage = meta.get("storage")
    if storage is None:
        # a container of tensors (a torch module): where most of its bytes are
        on_device = acc.device is not None and acc.device_bytes * 2 > acc.bytes
        storage = "device" if on_device else "heap"
        if on_device and acc.device is not None:
            meta = meta.copy()
            meta["device"] = acc.device
    rec = make_record(
        name,
        tname,
        size,
        exact=acc.exact,
        error=error,
        shape=meta.get("shape"),
        n=n,
        dtype=meta.get("dtype"),
        storage=storage,
    )
    for key in _META_EXTRA:
        if key in meta:
            rec[key] = meta[key]  # type: ignore[literal-required]
    if acc.native:
        rec["native"] = "unknown"
    return rec, acc.new


def _rel_error(err: float, size: int) -> float:
    # sampling never claims better than MIN_ERROR (rare items may be missed)
    return round(max(err / size, MIN_ERROR), 4) if size else MIN_ERROR


def pending(name: str, value: Any, type_names: Dict[type, str]) -> Variable:
    """The record of a name the budget did not reach."""
    rec = make_record(
        name, public_type_name(type(value), type_names), None, exact=False, error=None
    )
    rec["pending"] = True
    return rec


# (name, value, type, kind) of a name to report
Candidate = Tuple[str, Any, type, int]


class Recorder:
    """Builds the ``variables`` of one snapshot (see the module docstring)."""

    def __init__(
        self,
        eng: Engine,
        holders: Any,
        hidden: Namespace,
        min_object: int,
        holder_min: int = 0,
    ):
        self.eng = eng
        self.holders = holders
        self.hidden = hidden
        self.min_object = min_object
        # below this size (LV102's threshold) a record lists no holders
        self.holder_min = holder_min
        self.type_names: Dict[type, str] = {}
        self.variables: List[Variable] = []
        self.skipped: List[Skipped] = []
        # id -> first name of any kind, and every name of objects with several
        self.seen: Dict[int, str] = {}
        self.aliases: Dict[int, List[str]] = {}
        # values of records at least ``min_object`` bytes, for the findings
        self.objects: Namespace = {}
        self.storage_totals: Dict[str, float] = {}
        # every name was sized (or carried over) in this pass
        self.complete = True
        # records without a size yet (new or changed objects the budget did not reach)
        self.pending = 0
        self._ndarray = loaded_attr("numpy", "ndarray")
        self._nd = nd() if self._ndarray is not None else None
        self._dtypes: Dict[int, Tuple[Any, str, bool]] = {}

    def run(
        self, items: List[Tuple[str, Any]], known: Optional[Known] = None, pass_no: int = 0
    ) -> None:
        """Skip or size every name; ``known`` carries records between requests (see
        ``passes``): a name sized earlier in this pass, or whose record is stable and
        whose object is unchanged, is not sized again."""
        cands = self._candidates(items)
        slots: List[Optional[Variable]] = [None] * len(cands)
        clock = time.perf_counter
        deadline = self.eng.deadline
        complete = True
        ndarray = self._ndarray
        for count, index in enumerate(
            self._order(cands) if known is not None else range(len(cands))
        ):
            name, value, t, kind = cands[index]
            fp: Hashable = None
            hit: Optional[KnownRecord] = None
            if known is not None:
                fp = fingerprint(value, ndarray)
                hit = known.get(name)
                if hit is not None and hit.fingerprint != fp:
                    hit = None  # another object, or this one changed
                if hit is not None and (hit.pass_no == pass_no or hit.stable):
                    hit.pass_no = pass_no  # sized earlier this pass, or cannot have changed
                    slots[index] = self._reuse(name, value, hit)
                    continue
            # reading the clock every name costs more than sizing a scalar, but
            # a container can take milliseconds: check before each of those
            if complete and (not count & 15 or kind is not ATOM) and clock() > deadline:
                complete = False
            if not complete:
                slots[index] = self._unsized(name, value, hit)
                continue
            try:
                rec, new = self._size(name, value, t, kind)
            except OutOfTime:
                complete = False
                slots[index] = self._unsized(name, value, hit)
                continue
            self._count(name, value, rec, new)
            if known is not None:
                stable = "error" not in rec and is_stable(value, ndarray)
                known[name] = KnownRecord(fp, _copy(rec), new, pass_no, stable)
            slots[index] = rec
        self.complete = complete
        variables = [rec for rec in slots if rec is not None]
        self.variables = variables
        self.pending = sum(1 for rec in variables if rec.get("pending"))
        self._set_holders(cands)

    def _reuse(self, name: str, value: Any, hit: KnownRecord) -> Variable:
        """A copy of a record sized by an earlier request (``held_by`` is set later)."""
        rec = _copy(hit.record)
        self._count(name, value, rec, hit.new_bytes)
        return rec

    def _unsized(self, name: str, value: Any, hit: Optional[KnownRecord]) -> Variable:
        """A name the budget did not reach: its last record if the object is unchanged
        (a sized row never turns pending again), else a pending record."""
        if hit is not None:
            return self._reuse(name, value, hit)
        return pending(name, value, self.type_names)

    def _candidates(self, items: List[Tuple[str, Any]]) -> List[Candidate]:
        """The names to report, in namespace order; notes aliases and skipped names."""
        eng = self.eng
        kinds = eng.kinds
        classify = eng.classify
        hidden = self.hidden
        hidden_get = hidden.get
        seen_setdefault = self.seen.setdefault
        aliases = self.aliases
        out: List[Candidate] = []
        append = out.append
        for name, value in items:
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
                    # input history (_i, _iN, In) never keeps a user object alive;
                    # output names (_, __, _4) and skipped names do
                    if reason == "ipython":
                        if OUTPUT_NAME.match(name):
                            self._alias(id(value), name, seen_setdefault, aliases)
                    else:
                        self.skipped.append({"name": name, "reason": reason})
                        self._alias(id(value), name, seen_setdefault, aliases)
                    continue
            self._alias(id(value), name, seen_setdefault, aliases)
            append((name, value, t, kind))
        return out

    @staticmethod
    def _alias(oid: int, name: str, seen_setdefault: Any, aliases: Dict[int, List[str]]) -> None:
        prev = seen_setdefault(oid, name)
        if prev is not name:
            if oid in aliases:
                aliases[oid].append(name)
            else:
                aliases[oid] = [prev, name]

    def _order(self, cands: List[Candidate]) -> List[int]:
        """Indices of ``cands``: constant-time sizes first, then biggest-looking first."""
        ndarray = self._ndarray
        keys = [order_key(v, t, k, ndarray) for _n, v, t, k in cands]
        return sorted(range(len(cands)), key=keys.__getitem__)

    def _count(self, name: str, value: Any, rec: Variable, new: float) -> None:
        """Add a record's new bytes to the totals; keep big values for the findings."""
        if new:
            storage = rec["storage"]
            self.storage_totals[storage] = self.storage_totals.get(storage, 0.0) + new
        size = rec["size_bytes"]
        if size is not None and size >= self.min_object:
            self.objects[name] = value

    def _size(self, name: str, value: Any, t: type, kind: int) -> Tuple[Variable, float]:
        """Size one name: inline fast paths, else the engine."""
        tname = self.type_names.get(t) or public_type_name(t, self.type_names)
        glob = self.eng.glob
        if kind is ATOM:
            n = None
            # atom_size inlined for the three commonest scalars
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
                    n = len(value)  # exact str, bytes or bytearray: no user code
            new = 0
            if size and id(value) not in glob:
                glob.add(id(value))
                new = size
            return make_record(name, tname, size, n=n), float(new)
        if kind is SHARED:
            return make_record(name, tname, 0), 0.0
        if t is list or t is tuple or t is dict:
            try:
                small = small_tree(value, self.eng.kinds, glob)
            except Exception:  # resized by a running cell: take the general path
                small = None
            if small is not None:
                return make_record(name, tname, small[0], n=len(value)), float(small[1])
        elif t is self._ndarray and self._nd is not None:
            try:
                arr = owned_array(value, self._nd, glob, self._dtypes)
            except Exception:  # the engine's path records the error
                arr = None
            if arr is not None:
                shape = arr[2]
                rec = make_record(
                    name, tname, arr[0], shape=shape, n=shape[0] if shape else None, dtype=arr[3]
                )
                rec["owns_data"] = True
                return rec, float(arr[1])
        return record(name, value, self.eng, self.type_names)

    def _set_holders(self, cands: List[Candidate]) -> None:
        """``held_by``: other names bound to the same object first, then IPython's holders.

        Only for objects that could be kept alive by them: never for pending
        records, objects below ``holder_min`` or shared immutables.
        """
        aliases = self.aliases
        held_get = self.holders.get
        holder_min = self.holder_min
        for rec, (name, value, t, kind) in zip(self.variables, cands):
            size = rec["size_bytes"]
            if not size or size < holder_min or kind is SHARED or rec.get("pending"):
                continue
            if t is str and _shared_str(value):
                continue
            oid = id(value)
            same = aliases.get(oid)
            others = [n for n in same if n != name] if same else []
            held = held_get(oid)
            if held:
                others += [h for h in held if h not in others]
            rec["held_by"] = others

    def release(self) -> None:
        """Drop every reference to user objects."""
        self.objects.clear()
        self.seen.clear()
        self.aliases.clear()
        self.holders = None
        self.hidden = {}


def _copy(rec: Variable) -> Variable:
    """A shallow copy of a record (``held_by`` is replaced, never mutated)."""
    return rec.copy()


def _shared_str(s: str) -> bool:
    """Empty, one-character and interned strings are shared by the interpreter."""
    if str.__len__(s) <= 1:
        return True
    is_interned = getattr(sys, "_is_interned", None)  # 3.13+; never intern to test
    return bool(is_interned is not None and is_interned(s))

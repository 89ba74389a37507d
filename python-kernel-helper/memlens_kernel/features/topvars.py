"""The largest user variables, cheaply: for the guard event and the post-mortem.

No deep walk: the sizes the last ``snapshot``/``explain`` measured (kept as
names and numbers only, ``remember``), and for the names they did not cover
a constant-time size of exact builtin types and numpy arrays (``nbytes``).
Never user code: exact-type checks only, at most ``MAX_NAMES`` names.
"""

from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

from ..introspect import Namespace, loaded_attr
from ..snapshot.holders import is_ipython_name
from ..wire import NamedBytes

TOP = 5
MAX_NAMES = 5000
_SIZED = (bytes, bytearray, str)
_CONTAINERS = (list, tuple, dict, set, frozenset)


class KnownSizes:
    """Deep sizes the last snapshot measured: name -> bytes (numbers only)."""

    def __init__(self) -> None:
        self.sizes: Dict[str, int] = {}

    def remember(self, top: Sequence[NamedBytes]) -> None:
        """Replace the known sizes with a snapshot's largest variables."""
        self.sizes = {t["name"]: int(t["bytes"]) for t in top}


def _cheap_size(value: object, ndarray: object) -> int:
    t = type(value)
    if t in _SIZED or t in _CONTAINERS:
        # the object itself (a container's slots, not its items)
        return int(t.__sizeof__(value))  # exact builtin types: no user code
    if ndarray is not None and t is ndarray:
        base = value
        while type(getattr(base, "base", None)) is ndarray:
            base = base.base  # type: ignore[attr-defined]  # an exact ndarray
        return int(base.nbytes)  # type: ignore[attr-defined]
    return 0


def top_variables(ns: Namespace, known: KnownSizes, n: int = TOP) -> List[NamedBytes]:
    """The ``n`` largest variables of ``ns`` by the sizes above."""
    return scan(ns, known, n)[0]


def scan(ns: Namespace, known: KnownSizes, n: int = TOP) -> Tuple[List[NamedBytes], int]:
    """The ``n`` largest variables, and the sum of the constant-time sizes."""
    sizes: Dict[str, int] = {}
    ndarray = loaded_attr("numpy", "ndarray")
    try:
        items = list(dict.items(ns))
    except RuntimeError:  # resized by a running cell
        items = []
    for name, value in items[:MAX_NAMES]:
        if type(name) is not str or name.startswith("_") or is_ipython_name(name):
            continue
        size = _cheap_size(value, ndarray)
        if size:
            sizes[name] = size
    del items
    total = sum(sizes.values())
    for name, size in known.sizes.items():
        if dict.__contains__(ns, name) and size > sizes.get(name, 0):
            sizes[name] = size
    ranked = sorted(sizes.items(), key=lambda item: -item[1])[:n]
    return [{"name": name, "bytes": size} for name, size in ranked], total

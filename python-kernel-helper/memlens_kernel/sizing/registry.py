"""Exact-type dispatch to per-library sizers.

Sizers are registered by the module that defines the public class and the
attribute path to it (``("pandas", "DataFrame")``). At snapshot time only the
modules already in ``sys.modules`` are consulted, so a library the user never
imported is never imported here, and lookups use the module dict (no
module-level ``__getattr__``).
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Dict, List, Literal, Optional, Sequence, Tuple, TypedDict

from ..introspect import module_dict, mro


class Meta(TypedDict, total=False):
    """What a sizer tells about an object besides its bytes (``Variable`` fields)."""

    shape: Optional[Sequence[Optional[int]]]
    len: Optional[int]
    dtype: Optional[str]
    storage: Literal["heap", "file", "device", "lazy"]
    owns_data: bool
    base: str
    device: str
    virtual_bytes: Optional[int]
    nnz: Optional[int]
    partitions: int


# sizer(obj, engine, acc) -> what it tells besides the bytes it added to acc
Sizer = Callable[[Any, Any, Any], Meta]

_ENTRIES: List[Tuple[str, str, Sizer, bool]] = []


def register(module: str, path: str, sizer: Sizer, *, subclasses: bool = True) -> None:
    """Register ``sizer`` for the class at ``module``.``path``.

    ``subclasses`` lets user subclasses (found along the MRO) use it too.
    """
    _ENTRIES.append((module, path, sizer, subclasses))


def _resolve_attr(module: str, path: str) -> Optional[type]:
    obj: Any = sys.modules.get(module)
    d = module_dict(obj)
    if d is None:
        return None
    parts = path.split(".")
    obj = d.get(parts[0])
    for part in parts[1:]:
        if type(obj) is not type and not isinstance(obj, type):
            return None
        try:
            obj = type.__dict__["__dict__"].__get__(obj).get(part)
        except Exception:
            return None
    return obj if isinstance(obj, type) else None


class Dispatch:
    """The sizers usable in one snapshot, keyed by type object."""

    def __init__(self) -> None:
        self.exact: Dict[type, Sizer] = {}
        self.inherit: Dict[type, Sizer] = {}
        for module, path, sizer, subclasses in _ENTRIES:
            if module not in sys.modules:
                continue
            cls = _resolve_attr(module, path)
            if cls is None:
                continue
            self.exact.setdefault(cls, sizer)
            if subclasses:
                self.inherit.setdefault(cls, sizer)
        self._cache: Dict[type, Optional[Sizer]] = {}

    def lookup(self, t: type) -> Optional[Sizer]:
        """The sizer for exact type ``t`` or its nearest registered base."""
        try:
            return self._cache[t]
        except KeyError:
            pass
        sizer = self.exact.get(t)
        if sizer is None and self.inherit:
            for base in mro(t)[1:]:
                sizer = self.inherit.get(base)
                if sizer is not None:
                    break
        self._cache[t] = sizer
        return sizer

    def clear(self) -> None:
        """Drop every type reference (called when the snapshot ends)."""
        self.exact.clear()
        self.inherit.clear()
        self._cache.clear()

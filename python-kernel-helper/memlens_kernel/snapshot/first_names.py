"""The first user name bound to an object id, for a numpy view's ``base``."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..introspect import Namespace
from ..sizing import Engine
from .records import skip_reason


class FirstNames:
    """``id -> first user name`` bound to it, built on the first lookup.

    Only a numpy view asks (for its ``base``), so a namespace without views
    never pays for the index.
    """

    def __init__(self, items: List[Tuple[str, Any]], hidden: Namespace, eng: Engine):
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

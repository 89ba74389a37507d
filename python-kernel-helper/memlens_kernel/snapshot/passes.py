"""Progressive snapshots: a pass over a big namespace spread over several requests.

One ``SnapshotSession`` per comm remembers, between ``snapshot`` requests:

- the records sized so far (``known``: a ``KnownRecord`` per name, with a
  fingerprint of its object). A pass sizes every name once; when a request
  runs out of budget, the next one continues the same pass and does not size
  again a name whose object is unchanged. A name not reached yet keeps its
  previous record (it is not ``pending``) while its fingerprint is unchanged;
  only a new or changed object is ``pending`` until it is sized. A record is
  *stable* when its object cannot change size without becoming another
  object (str, bytes, numbers, tuples and frozensets of those, numpy arrays
  owning a plain buffer with the same data pointer, shape, strides and
  dtype): it counts as sized in every later pass without being sized again;
- the ``seq`` of the last reply and the records it listed (``sent``: plain
  JSON data, compared field by field), so a request with ``since`` equal to
  that ``seq`` gets only what changed;
- what the live rules remember between its snapshots (``rules``: sizes and
  sequence numbers for LV109 and LV112).

Only ids (of objects and their types), lengths, pointers and plain record
dicts are kept: no user objects, no user classes. ``order`` gives a pass its
order: constant-time sizes first, then the biggest-looking names.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Dict, Hashable, List, Optional

from ..findings.base import RuleMemory
from ..sizing.kinds import ATOM, SHARED
from ..wire import NamedBytes, Snapshot, Variable

_dict_len = dict.__len__
_dict_sizeof = dict.__sizeof__
_list_sizeof = list.__sizeof__
_str_sizeof = str.__sizeof__
_int_sizeof = int.__sizeof__
# Scalars whose size is fixed when they are made.
_IMMUTABLE = frozenset({str, bytes, int, float, complex, bool, type(None), range})
# Containers whose size is fixed when made, when every item is one of the above.
_FROZEN = (tuple, frozenset)
_MAX_FROZEN_CHECK = 100_000  # items; bigger tuples are re-sized each pass


@dataclass
class KnownRecord:
    """A name's record from an earlier request of this comm."""

    fingerprint: Hashable
    record: Variable
    # bytes the record added to the snapshot total (not shared with earlier names)
    new_bytes: float
    # the pass it was last sized (or carried over) in
    pass_no: int
    # its object cannot change size while the fingerprint is unchanged
    stable: bool


Known = Dict[str, KnownRecord]


def fingerprint(value: Any, ndarray: Optional[type]) -> Hashable:
    """A cheap key that changes when ``value`` (or the object bound) changes.

    Exact-type checks only, so no user ``__len__``/``__sizeof__`` runs. An id
    can be reused once its object dies; the type, length, allocation size and
    the ids of the first/last items make a false match unlikely. Mutation deep
    inside an unchanged container is not seen here: a new pass re-sizes it.
    """
    t = type(value)
    tid = id(t)  # not the type itself: a user class must not be kept alive by us
    if t is dict:
        n = _dict_len(value)
        first = id(next(iter(dict.values(value)))) if n else 0
        return (id(value), tid, n, _dict_sizeof(value), first)
    if t is list:
        n = list.__len__(value)
        ends = (id(value[0]), id(value[-1])) if n else (0, 0)
        return (id(value), tid, n, _list_sizeof(value), ends)
    if t is tuple:
        n = tuple.__len__(value)
        ends = (id(value[0]), id(value[-1])) if n else (0, 0)
        return (id(value), tid, n, ends)
    if t is str:
        return (id(value), tid, _str_sizeof(value))
    if t is int:
        return (id(value), tid, _int_sizeof(value))
    if t is set or t is frozenset or t is bytearray or t is bytes:
        return (id(value), tid, t.__len__(value))
    if ndarray is not None and t is ndarray:
        try:
            data = value.__array_interface__["data"][0]
        except Exception:  # never expected of an exact ndarray; then unknown
            data = None
        return (id(value), tid, value.shape, value.strides, value.nbytes, value.dtype.str, data)
    return (id(value), tid)


def is_stable(value: Any, ndarray: Optional[type]) -> bool:
    """True when ``value``'s size cannot change without it becoming another object."""
    t = type(value)
    if t in _IMMUTABLE:
        return True
    if t is tuple or t is frozenset:
        n = t.__len__(value)
        return n <= _MAX_FROZEN_CHECK and set(map(type, value)) <= _IMMUTABLE
    if ndarray is not None and t is ndarray:
        # a buffer of its own, no Python objects inside: only the values can change
        return value.base is None and not value.dtype.hasobject and value.flags.owndata
    return False


def order_key(value: Any, t: type, kind: int, ndarray: Optional[type]) -> int:
    """Sort key of a name in a pass (ascending): constant-time sizes first
    (scalars, arrays), then the biggest-looking containers and objects."""
    if kind is ATOM or kind is SHARED:
        return -(2**62)
    if ndarray is not None and t is ndarray and not value.dtype.hasobject:
        return -(2**61)
    return -estimate(value, t, kind, ndarray)


def estimate(value: Any, t: type, kind: int, ndarray: Optional[type]) -> int:
    """A cheap guess of the deep size, only to size the biggest-looking names first."""
    if kind is ATOM or kind is SHARED:
        return 0
    if t is list or t is tuple:
        return 64 * int(t.__len__(value))
    if t is dict:
        return 128 * dict.__len__(value)
    if t is set or t is frozenset:
        return 64 * int(t.__len__(value))
    if ndarray is not None and t is ndarray:
        return int(value.nbytes)
    return 2**20  # library and class instances: unknown, usually worth sizing early


class SnapshotSession:
    """What one comm's snapshot requests share (see the module docstring)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seq = 0
        self.sent: Optional[Dict[str, Variable]] = None
        self.known: Known = {}
        self.pass_no = 0
        # every name was sized (or carried over) in the current pass
        self.pass_done = True
        # what the live rules remember between this comm's snapshots
        self.rules = RuleMemory()

    def begin(self) -> int:
        """The pass number to size in: a new pass once the last one went through every name."""
        if self.pass_done:
            self.pass_no += 1
        return self.pass_no

    def end(self, pass_done: bool) -> None:
        """Whether the request went through every name of the pass."""
        self.pass_done = pass_done

    def largest(self, n: int = 10) -> List[NamedBytes]:
        """The ``n`` largest names sized so far (names and numbers only)."""
        sized = [
            (name, k.record["size_bytes"] or 0)
            for name, k in list(self.known.items())
            if k.record.get("size_bytes")
        ]
        sized.sort(key=lambda item: -item[1])
        return [{"name": name, "bytes": int(size)} for name, size in sized[:n]]

    def finish(self, snap: Snapshot, since: Optional[int]) -> Snapshot:
        """Number the reply, turn it into a delta against ``since`` when possible."""
        keys = {v["name"]: v for v in snap["variables"]}
        for name in [n for n in self.known if n not in keys]:
            del self.known[name]
        previous = self.sent if since is not None and since == self.seq else None
        self.seq += 1
        snap["seq"] = self.seq
        self.sent = keys
        if previous is None:
            snap["delta"] = False
            return snap
        snap["delta"] = True
        snap["variables"] = [v for v in snap["variables"] if previous.get(v["name"]) != v]
        snap["removed"] = [n for n in previous if n not in keys]
        return snap

"""Progressive snapshots: a pass over a big namespace spread over several requests.

One ``SnapshotSession`` per comm remembers, between ``snapshot`` requests:

- the records sized so far, each with a fingerprint of its object (``known``);
  a follow-up of an incomplete reply continues the same pass and does not size
  again a name whose object is unchanged; a new pass re-sizes everything but
  shows the previous record (not ``pending``) until the name's turn comes;
- the ``seq`` of the last reply and the records it listed (``sent``: plain
  JSON data, compared field by field), so a request with ``since`` equal to
  that ``seq`` gets only what changed.

Only ids (of objects and their types), lengths and plain record dicts are
kept: no user objects, no user classes. ``estimate`` gives the pass its
order: the biggest-looking names are sized first.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, Hashable, Optional, Tuple

from ..sizing.kinds import ATOM, SHARED
from ..wire import Snapshot, Variable

# name -> (object fingerprint, record, bytes new to the snapshot, pass number)
Known = Dict[str, Tuple[Hashable, Variable, float, int]]

_dict_len = dict.__len__
_dict_sizeof = dict.__sizeof__
_list_sizeof = list.__sizeof__


def fingerprint(value: Any, ndarray: Optional[type]) -> Hashable:
    """A cheap key that changes when ``value`` (or the object bound) changes.

    Exact-type checks only, so no user ``__len__``/``__sizeof__`` runs. An id
    can be reused once its object dies; the type, length, allocation size and
    the ids of the first/last items make a false match unlikely. Mutation deep
    inside an unchanged container is not seen here: a new pass re-sizes all.
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
    if t is tuple or t is set or t is frozenset or t is bytearray or t is str or t is bytes:
        return (id(value), tid, t.__len__(value))
    if ndarray is not None and t is ndarray:
        return (id(value), tid, value.shape, value.nbytes, value.strides)
    return (id(value), tid)


class SnapshotSession:
    """What one comm's snapshot requests share (see the module docstring)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seq = 0
        self.sent: Optional[Dict[str, Variable]] = None
        self.known: Known = {}
        self.pass_no = 0
        self.last_complete = True
        # name -> bytes of the previous snapshot of this comm (LV109 compares)
        self.previous_sizes: Dict[str, int] = {}

    def begin(self) -> int:
        """The pass number to size in: a new pass unless the last reply was incomplete."""
        if self.last_complete:
            self.pass_no += 1
        return self.pass_no

    def finish(self, snap: Snapshot, since: Optional[int]) -> Snapshot:
        """Number the reply, turn it into a delta against ``since`` when possible."""
        self.last_complete = bool(snap.get("complete"))
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


def estimate(value: Any, t: type, kind: int, ndarray: Optional[type]) -> int:
    """A cheap guess of the deep size, only to size the biggest-looking names first."""
    if kind is ATOM or kind is SHARED:
        return 0
    if t is list or t is tuple:
        return 64 * t.__len__(value)
    if t is dict:
        return 128 * dict.__len__(value)
    if t is set or t is frozenset:
        return 64 * t.__len__(value)
    if ndarray is not None and t is ndarray:
        return int(value.nbytes)
    return 2**20  # library and class instances: unknown, usually worth sizing early

"""Deep sizes with identity de-duplication, sampling and a deadline.

The walk follows ``gc.get_referents`` (C ``tp_traverse``: no user code, no
``__dict__`` materialization) and counts each object once per variable
(``local``) and once per snapshot (``glob``, for ``total_bytes``). Big
containers are sampled (see ``sampling``). Library objects go to their
registered sizer, which accounts buffers under keys of their own so that
views and shared buffers are counted once.
"""

from __future__ import annotations

import gc
import itertools
import random
import sys
import time
from typing import Any, Callable, Dict, Hashable, List, Optional, Set, Tuple

from ..introspect import is_managed_dict_type, mro, safe_sizeof_fn
from .kinds import (
    ATOM,
    BUILTIN_KINDS,
    LIB,
    MAP,
    NATIVE,
    OBJ,
    SEQ,
    SHARED,
    SKIP,
    WEAK,
    classify_type,
)
from .registry import Dispatch, Meta
from .sampling import extrapolate, sample_positions
from .small import atom_size, small_tree

_GC_HEAD = sys.getsizeof([]) - [].__sizeof__()

# Exact up to this many items per container; beyond, sample.
EXACT_ITEMS = 2048
SAMPLE_K = 512
NESTED_EXACT = 64
NESTED_K = 32
SOFT_CAP = 100_000  # objects per variable before switching to nested limits
CHECK_EVERY = 2048


class OutOfTime(Exception):
    """The snapshot deadline passed in the middle of a variable."""


class Acc:
    """Bytes counted for one variable (``new`` = not counted earlier in the snapshot).

    ``native`` is set when something reached holds memory the helper cannot
    see (an opaque extension object): the size is then a lower bound.
    ``device`` / ``device_bytes``: the first accelerator holding counted
    buffers, and how many bytes live off the CPU (a module's tensors).
    """

    __slots__ = ("bytes", "device", "device_bytes", "err", "exact", "native", "new")

    def __init__(self) -> None:
        self.bytes = 0.0
        self.new = 0.0
        self.err = 0.0
        self.exact = True
        self.native = False
        self.device: Optional[str] = None
        self.device_bytes = 0.0

    def on_device(self, device: str, nbytes: float) -> None:
        """Note bytes counted in an accelerator's memory."""
        if self.device is None:
            self.device = device
        self.device_bytes += nbytes

    def opaque(self) -> None:
        """Mark the size a lower bound: native memory not visible."""
        self.native = True
        self.exact = False

    def estimate(self, nbytes: float, new: float, err: float) -> None:
        """Add an estimated amount with its absolute error bound."""
        self.bytes += nbytes
        self.new += new
        self.err += err
        self.exact = False


class Engine:
    """Sizes the variables of one snapshot; drop it when the snapshot ends."""

    def __init__(self, deadline: float, first_name: Any) -> None:
        self.deadline = deadline
        # ``.get(id)`` -> the first user name bound to that object (a view's ``base``)
        self.first_name = first_name
        self.dispatch = Dispatch()
        # ids of objects and keys of buffers counted in this snapshot / this variable
        self.glob: Set[Hashable] = set()
        self.local: Set[Hashable] = set()
        self.kinds: Dict[type, int] = dict(BUILTIN_KINDS)
        self.sizeofs: Dict[type, Tuple[Callable[[Any], int], int]] = {}
        self.visited = 0
        self.depth = 0
        self.rng = random.Random(0x6D656D)
        self.instance_counts: Dict[type, float] = {}
        self.instance_bytes: Dict[type, float] = {}
        self.scale = 1.0
        self.current_id = 0
        self.memo: Dict[Any, Any] = {}
        # wrappers a library creates on access (Arrow chunks): kept until
        # ``close`` so their ids, used as keys, are not reused in the snapshot
        self.transient: List[Any] = []

    # -- public ---------------------------------------------------------
    def measure(self, obj: Any) -> Tuple[Acc, Meta]:
        """Deep size of one variable. Returns the accumulator and library meta."""
        self.local = set()
        self.visited = 0
        self.depth = 0
        self.scale = 1.0
        self.current_id = id(obj)
        acc = Acc()
        t = type(obj)
        kind = self.kinds.get(t)
        if kind is None:
            kind = self.classify(t)
        if kind is LIB:
            self.local.add(id(obj))
            meta = self.dispatch.lookup(t)(obj, self, acc) or {}  # type: ignore[misc]  # LIB
            return acc, meta
        if t is list or t is tuple or t is dict:
            small = _try_small(obj, self.kinds, self.glob, None)
            if small is not None:
                acc.bytes, acc.new, _ = small
                return acc, {}
        if kind is ATOM:
            acc.bytes = s = atom_size(obj, t)
            i = id(obj)
            if s and i not in self.glob:
                self.glob.add(i)
                acc.new = s
            return acc, {}
        self.walk(obj, acc)
        return acc, {}

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """A per-snapshot memo (type lookups, dtype names) dropped by ``close``."""
        try:
            return self.memo[key]
        except KeyError:
            value = self.memo[key] = compute()
            return value

    def close(self) -> None:
        """Release every reference held for the snapshot."""
        self.dispatch.clear()
        self.kinds.clear()
        self.sizeofs.clear()
        self.instance_counts.clear()
        self.instance_bytes.clear()
        self.memo.clear()
        self.transient.clear()
        self.local = set()
        self.glob = set()

    def add(self, key: Hashable, nbytes: float, acc: Acc) -> bool:
        """Count a buffer or object once. Returns False when already counted."""
        if key in self.local:
            return False
        self.local.add(key)
        acc.bytes += nbytes
        if key not in self.glob:
            self.glob.add(key)
            acc.new += nbytes
        return True

    def check_time(self) -> None:
        """Raise ``OutOfTime`` when the snapshot deadline has passed."""
        if time.perf_counter() > self.deadline:
            raise OutOfTime()

    def classify(self, t: type) -> int:
        """The walk strategy for instances of ``t`` (cached per type)."""
        kind = classify_type(t, self.dispatch)
        self.kinds[t] = kind
        return kind

    def sizeof(self, o: Any, t: type) -> int:
        """Shallow size without calling a Python-level ``__sizeof__``."""
        entry = self.sizeofs.get(t)
        if entry is None:
            entry = self.sizeofs[t] = safe_sizeof_fn(t)
        fn, extra = entry
        try:
            return int(fn(o)) + extra
        except Exception:
            return int(object.__sizeof__(o)) + _GC_HEAD

    # -- the walk -------------------------------------------------------
    def walk(self, root: Any, acc: Acc) -> None:
        """Add the deep size of ``root`` (objects not yet counted) to ``acc``."""
        stack = [root]
        local = self.local
        glob = self.glob
        kinds = self.kinds
        getsizeof = sys.getsizeof
        get_referents = gc.get_referents
        pop = stack.pop
        extend = stack.extend
        while stack:
            o = pop()
            i = id(o)
            if i in local:
                continue
            local.add(i)
            t = type(o)
            kind = kinds.get(t)
            if kind is None:
                kind = self.classify(t)
            self.visited += 1
            if not self.visited % CHECK_EVERY:
                self.check_time()
            if kind is ATOM:
                if t is int:
                    if -5 <= o <= 256:
                        continue  # cached small ints belong to the interpreter
                    # int allocations are 8-aligned: 28 -> 32 (as tracemalloc sees)
                    s = (getsizeof(o) + 7) & ~7
                elif t is str and str.__len__(o) <= 1:
                    continue
                else:
                    s = getsizeof(o)
            elif kind is SHARED or kind is SKIP:
                continue
            elif kind is LIB:
                self.dispatch.lookup(t)(o, self, acc)  # type: ignore[misc]  # LIB: registered
                continue
            elif kind is WEAK:
                s = object.__sizeof__(o) + _GC_HEAD
            elif kind is NATIVE:
                acc.opaque()
                s = self.sizeof(o, t)
                extend(get_referents(o))
            elif kind is OBJ:
                s = self.sizeof(o, t)
                refs = get_referents(o)
                if is_managed_dict_type(t):
                    # 3.11+ keeps attributes in a values array getsizeof misses
                    s += 8 * len(refs) + 8
                    self._count_instance(t, s)
                if len(refs) > self._limit():
                    self._sample_seq(refs, len(refs), acc, i not in glob)
                else:
                    extend(refs)
            else:
                s = self.sizeof(o, t)
                n = self._container_len(o, kind)
                if n > self._limit():
                    self._sample_container(o, kind, n, acc, i not in glob)
                else:
                    extend(get_referents(o))
                    if kind is MAP:
                        # tp_traverse skips the keys of a str-keyed dict (no
                        # cycles through str); they are reachable all the same
                        extend(dict.keys(o))
            acc.bytes += s
            if i not in glob:
                glob.add(i)
                acc.new += s

    def _limit(self) -> int:
        if self.depth == 0 and self.visited < SOFT_CAP:
            return EXACT_ITEMS
        return NESTED_EXACT

    def _k(self) -> int:
        if self.depth == 0 and self.visited < SOFT_CAP:
            return SAMPLE_K
        return NESTED_K if self.depth <= 1 else 8

    def _count_instance(self, t: type, s: int) -> None:
        self.instance_counts[t] = self.instance_counts.get(t, 0.0) + self.scale
        self.instance_bytes[t] = self.instance_bytes.get(t, 0.0) + s * self.scale

    @staticmethod
    def _container_len(o: Any, kind: int) -> int:
        if kind is SEQ:
            return list.__len__(o) if list in mro(type(o)) else tuple.__len__(o)
        if kind is MAP:
            return dict.__len__(o)
        return set.__len__(o) if set in mro(type(o)) else frozenset.__len__(o)

    def _sample_container(self, o: Any, kind: int, n: int, acc: Acc, count_new: bool) -> None:
        # Positions depend on the container only, so an alias or a second
        # holder samples the same items and sizes agree.
        rng = random.Random(id(o))
        if kind is SEQ:
            self._sample_seq(o, n, acc, count_new)
        elif kind is MAP:
            step = max(1, n // self._k())
            start = rng.randrange(step)
            # keys and values iterate the same entries in the same order; two
            # islices are ~3x faster than one over items (a tuple per entry)
            keys = list(itertools.islice(dict.keys(o), start, None, step))
            values = list(itertools.islice(dict.values(o), start, None, step))
            self._sample_items(keys, n, acc, count_new)
            self._sample_items(values, n, acc, count_new)
        else:
            items = set.__iter__(o) if set in mro(type(o)) else frozenset.__iter__(o)
            step = max(1, n // self._k())
            self._sample_items(list(itertools.islice(items, 0, None, step)), n, acc, count_new)

    def _sample_seq(self, o: Any, n: int, acc: Acc, count_new: bool = True) -> None:
        getitem = list.__getitem__ if list in mro(type(o)) else tuple.__getitem__
        items = []
        for p in sample_positions(n, self._k(), random.Random(id(o))):
            try:
                items.append(getitem(o, p))
            except IndexError:  # shrunk meanwhile (a cell is running)
                break
        self._sample_items(items, n, acc, count_new)

    def sample_items(self, items: List[Any], n: int, acc: Acc, count_new: bool = True) -> None:
        """Walk sampled ``items`` of an ``n``-item collection and extrapolate.

        ``count_new`` is False when the collection itself was already counted
        in this snapshot: its items then add nothing to the snapshot total.
        """
        self._sample_items(items, n, acc, count_new)

    def _sample_items(self, items: List[Any], n: int, acc: Acc, count_new: bool = True) -> None:
        k = len(items)
        if k == 0:
            return
        sizes: List[float] = []
        news: List[float] = []
        ids: List[int] = []
        self.depth += 1
        outer_scale = self.scale
        self.scale = outer_scale * n / k
        kinds = self.kinds
        local = self.local
        glob = self.glob
        try:
            for item in items:
                # scalars and small builtin trees (most sampled items): no Acc, no walk
                t = type(item)
                i = id(item)
                ids.append(i)
                kind = kinds.get(t)
                if kind is ATOM or kind is SHARED:
                    self.visited += 1
                    s = 0
                    if i not in local:
                        local.add(i)
                        if kind is ATOM:
                            s = atom_size(item, t)
                    sizes.append(s)
                    if s and i not in glob:
                        glob.add(i)
                        news.append(s)
                    else:
                        news.append(0)
                    continue
                small = None
                if t is list or t is tuple or t is dict:
                    small = _try_small(item, kinds, glob, local)
                if small is not None:
                    sizes.append(small[0])
                    news.append(small[1])
                    self.visited += small[2]
                    continue
                sub = Acc()
                self.walk(item, sub)
                sizes.append(sub.bytes)
                news.append(sub.new)
                acc.err += sub.err * n / k
                if sub.native:
                    acc.opaque()
                if sub.device is not None:
                    acc.on_device(sub.device, sub.device_bytes * n / k)
        finally:
            self.depth -= 1
            self.scale = outer_scale
        if k >= n:
            acc.bytes += sum(sizes)
            acc.new += sum(news) if count_new else 0.0
            return
        est, err = extrapolate(n, sizes, ids)
        if not count_new:
            est_new = 0.0
        elif news == sizes:  # nothing was counted before in this snapshot
            est_new = est
        else:
            est_new = extrapolate(n, news, ids)[0]
        acc.estimate(est, est_new, err)


def _try_small(
    o: Any, kinds: Dict[type, int], glob: Set[Hashable], local: Optional[Set[Hashable]]
) -> Any:
    """``small_tree``, or None (the walk takes over) if a running cell resized it."""
    try:
        return small_tree(o, kinds, glob, local)
    except RuntimeError:
        return None


def lib_meta_default() -> Meta:
    """Fields every library sizer may fill."""
    return {"shape": None, "len": None, "dtype": None, "storage": "heap"}

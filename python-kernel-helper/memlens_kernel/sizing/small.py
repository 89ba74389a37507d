"""Fast exact sizes for the many small names of a big namespace.

A namespace of thousands of names is mostly scalars and small lists, tuples
and dicts of scalars. Sizing those through the general walk costs an
accumulator, a stack and a per-type dispatch each; here they are counted in
one tight loop with the same rules as ``Engine.walk`` (small ints and 0/1
character strings belong to the interpreter, ints are 8-aligned, ``None`` and
``bool`` are shared), so the result is identical. Anything else (another type,
a big container) makes ``small_tree`` give up before it counted anything, and
the caller takes the general path.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, Hashable, Optional, Set, Tuple

from .kinds import ATOM, SHARED

MAX_ITEMS = 1024  # per container
MAX_NODES = 4096  # per tree

_getsizeof = sys.getsizeof
# ``sys.getsizeof`` looks ``__sizeof__`` up and calls it through the type
# (~200 ns); for exact builtin types the C slot is the same number in ~20 ns
# (plus the GC header for container types, as getsizeof adds it).
_GC = sys.getsizeof([]) - [].__sizeof__()
int_sizeof = int.__sizeof__
str_sizeof = str.__sizeof__
_list_sizeof = list.__sizeof__
_tuple_sizeof = tuple.__sizeof__
_dict_sizeof = dict.__sizeof__
FLOAT_SIZE = sys.getsizeof(0.0)


def atom_size(o: Any, t: type) -> int:
    """Size of a scalar the walk counts (0 when the interpreter owns it)."""
    if t is int:
        if -5 <= o <= 256:
            return 0
        return (int_sizeof(o) + 7) & ~7  # int allocations are 8-aligned
    if t is str:
        return str_sizeof(o) if str.__len__(o) > 1 else 0
    if t is float:
        return FLOAT_SIZE
    return _getsizeof(o)


def small_tree(
    root: Any,
    kinds: Dict[type, int],
    glob: Set[Hashable],
    local: Optional[Set[Hashable]] = None,
) -> Optional[Tuple[int, int, int]]:
    """``(bytes, new, objects)`` of a small tree of exact list/tuple/dict and scalars.

    ``new`` is what was not yet in ``glob`` (the snapshot's counted ids) and
    ``objects`` how many objects were counted. Objects already in ``local``
    (counted earlier for the same variable) add nothing. The ids are added to
    ``glob`` and ``local`` only when the whole tree qualified: for any other
    shape it returns None and changes nothing. Only exact builtin types are
    touched, so no user code can run; a cycle ends at ``MAX_NODES``.
    """
    if local is not None and id(root) in local:
        return 0, 0, 0
    stack = [root]
    pop = stack.pop
    push = stack.append
    sizes: Dict[int, int] = {}  # id -> size: an object met twice counts once
    nodes = 0
    while stack:
        o = pop()
        t = type(o)
        if t is list:
            n = len(o)
            nodes += n
            if n > MAX_ITEMS or nodes > MAX_NODES:
                return None
            sizes[id(o)] = _list_sizeof(o) + _GC
            items: Any = o
        elif t is tuple:
            n = len(o)
            nodes += n
            if n > MAX_ITEMS or nodes > MAX_NODES:
                return None
            sizes[id(o)] = _tuple_sizeof(o) + _GC
            items = o
        elif t is dict:
            n = dict.__len__(o)
            nodes += 2 * n
            if n > MAX_ITEMS or nodes > MAX_NODES:
                return None
            sizes[id(o)] = _dict_sizeof(o) + _GC
            items = [*dict.keys(o), *dict.values(o)]
        else:
            return None
        for x in items:
            tx = type(x)
            if tx is int:
                if not -5 <= x <= 256:
                    sizes[id(x)] = (int_sizeof(x) + 7) & ~7
            elif tx is float:
                sizes[id(x)] = FLOAT_SIZE
            elif tx is str:
                if str.__len__(x) > 1:
                    sizes[id(x)] = str_sizeof(x)
            elif tx is list or tx is tuple or tx is dict:
                push(x)
            else:
                k = kinds.get(tx)
                if k is ATOM:
                    sizes[id(x)] = _getsizeof(x)
                elif k is not SHARED:
                    return None
    if local is not None:
        if not local.isdisjoint(sizes):
            for i in local.intersection(sizes):
                del sizes[i]  # type: ignore[arg-type]  # an id of ``sizes``
        local.update(sizes)
    total = sum(sizes.values())
    if glob.isdisjoint(sizes):  # C loop over ``sizes`` (``keys() - glob`` walks glob)
        new = total
        glob.update(sizes)
    else:
        fresh = [i for i in sizes if i not in glob]
        new = sum([sizes[i] for i in fresh])
        glob.update(fresh)
    return total, new, len(sizes)

"""scipy.spatial: cKDTree (and KDTree, its subclass) keep their nodes in C++.

The data, indices, maxes and mins arrays are referents of the tree (walked,
the data shared with the user's array when it was not copied). The nodes are
a ``std::vector`` of ``size`` 72-byte ``ckdtreenode`` structs that only the
pickle shows; ``size`` is a plain counter. The vector may have grown by
doubling, so its capacity (up to the next power of two) is the error bound.
The lazily built Python view (``tree``) is never touched.
"""

from __future__ import annotations

import gc
from typing import Any

from .engine import Acc, Engine
from .registry import Meta, register

CKDTREE_NODE_SIZE = 72  # 9 pointer-sized fields (scipy/spatial/ckdtree/src/ckdtree_decl.h)


def size_ckdtree(t: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``scipy.spatial.cKDTree`` and subclasses."""
    eng.add(("h", id(t)), eng.sizeof(t, type(t)), acc)
    for ref in gc.get_referents(t):
        eng.walk(ref, acc)
    nodes = int(t.size)
    nbytes = nodes * CKDTREE_NODE_SIZE
    if eng.add(("ckd.nodes", id(t)), nbytes, acc) and nodes > 1:
        slack = (1 << (nodes - 1).bit_length()) - nodes
        acc.estimate(0, 0, slack * CKDTREE_NODE_SIZE)
    n, m = int(t.n), int(t.m)
    return {"shape": [n, m], "len": n, "dtype": "float64"}


register("scipy.spatial._ckdtree", "cKDTree", size_ckdtree)

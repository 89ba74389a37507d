"""scikit-learn: fitted trees and neighbor trees keep their arrays in C.

``sklearn.tree._tree.Tree`` holds its nodes and values in malloc'd buffers
(``getsizeof`` sees the 104-byte struct only). Its own counters give the
size: ``capacity`` nodes of ``NODE_DTYPE.itemsize`` bytes, and ``capacity *
n_outputs * max_n_classes`` float64 values. Forests, gradient boosting,
isolation forests and single trees are plain Python objects that hold such
trees; the walk reaches them and hands each to this sizer. Histogram gradient
boosting predictors are plain Python objects with numpy arrays (walked).

``KDTree`` / ``BallTree`` keep their numpy arrays behind Cython memoryviews;
``get_arrays()`` returns those arrays themselves (no copy), so the data
array is shared, and counted once, with the array the user fitted on.
"""

from __future__ import annotations

import gc
from typing import Any

from ..introspect import loaded_attr, mro, static_lookup, type_module
from .engine import Acc, Engine
from .registry import Meta, register
from .sizers_numpy import _ndarray_type, account_array

_NODE_SIZE_FALLBACK = 64  # NODE_DTYPE itemsize in scikit-learn 1.3 - 1.9
_VALUE_ITEMSIZE = 8  # tree values are float64
_INTP = 8


def _node_size() -> int:
    dtype = loaded_attr("sklearn.tree._tree", "NODE_DTYPE")
    itemsize = getattr(dtype, "itemsize", None) if dtype is not None else None
    return itemsize if type(itemsize) is int and itemsize > 0 else _NODE_SIZE_FALLBACK


def size_tree(t: Any, eng: Engine, acc: Acc) -> Meta:
    """``sklearn.tree._tree.Tree``: node and value buffers from its counters."""
    eng.add(("h", id(t)), eng.sizeof(t, type(t)), acc)
    capacity = int(t.capacity)
    outputs = int(t.n_outputs)
    classes = int(t.max_n_classes)
    node_size = eng.cached("sk.node_size", _node_size)
    eng.add(("sk.nodes", id(t)), capacity * node_size, acc)
    eng.add(("sk.values", id(t)), capacity * outputs * classes * _VALUE_ITEMSIZE, acc)
    eng.add(("sk.n_classes", id(t)), outputs * _INTP, acc)
    return {"len": int(t.node_count)}


def _library_method(t: type) -> Any:
    """``get_arrays`` of scikit-learn's own class (a user subclass cannot replace it)."""
    for base in mro(t):
        if type_module(base).startswith("sklearn."):
            return static_lookup(base, "get_arrays")
    return None


def size_binary_tree(t: Any, eng: Engine, acc: Acc) -> Meta:
    """``KDTree`` / ``BallTree``: the arrays ``get_arrays()`` returns, the sample
    weights and the distance metric."""
    eng.add(("h", id(t)), eng.sizeof(t, type(t)), acc)
    get_arrays = eng.cached(("sk.get_arrays", type(t)), lambda: _library_method(type(t)))
    ndt = _ndarray_type()
    meta: Meta = {}
    arrays = get_arrays(t) if get_arrays is not None else ()
    arrays = list(arrays) if type(arrays) is tuple else []
    weights = t.sample_weight  # a memoryview of the weights array, or None
    if weights is not None:
        arrays.append(getattr(weights, "base", None))
    for i, a in enumerate(arrays):
        if ndt is not None and issubclass(type(a), ndt):
            m = account_array(a, eng, acc)
            if i == 0:
                meta = {"shape": m["shape"], "len": m["len"], "dtype": m["dtype"]}
    for ref in gc.get_referents(t):  # the distance metric (the class is skipped)
        eng.walk(ref, acc)
    return meta


register("sklearn.tree._tree", "Tree", size_tree, subclasses=False)
for _module, _name in (
    ("sklearn.neighbors._kd_tree", "BinaryTree64"),
    ("sklearn.neighbors._kd_tree", "BinaryTree32"),
    ("sklearn.neighbors._ball_tree", "BinaryTree64"),
    ("sklearn.neighbors._ball_tree", "BinaryTree32"),
):
    register(_module, _name, size_binary_tree)

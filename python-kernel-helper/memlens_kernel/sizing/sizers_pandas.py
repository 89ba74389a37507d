"""pandas: the block manager's arrays, per column, without ``memory_usage``.

``memory_usage(deep=True)`` counts a shared string once per cell and takes
seconds on wide frames; summing the blocks' buffers is exact for numeric and
Arrow-backed data and the object cells are sampled with identity de-dup.
"""

from __future__ import annotations

from typing import Any, List

from ..introspect import type_qualname
from .engine import Acc, Engine
from .registry import Meta, register
from .sizers_arrow import account_chunked
from .sizers_numpy import _ndarray_type, account_array

# extension array class name -> attributes that hold its storage
_EA_PARTS = {
    "IntegerArray": ("_data", "_mask"),
    "FloatingArray": ("_data", "_mask"),
    "BooleanArray": ("_data", "_mask"),
    "DatetimeArray": ("_ndarray",),
    "TimedeltaArray": ("_ndarray",),
    "PeriodArray": ("_ndarray",),
    "NumpyExtensionArray": ("_ndarray",),
    "PandasArray": ("_ndarray",),
    "StringArray": ("_ndarray",),
    "IntervalArray": ("_left", "_right"),
    "SparseArray": ("_sparse_values",),
}


def account_values(v: Any, eng: Engine, acc: Acc) -> None:
    """Account one column/block/index storage (ndarray or extension array)."""
    t = type(v)
    name = type_qualname(t)
    if _is_ndarray(v):
        account_array(v, eng, acc)
        return
    eng.add(("h", id(v)), eng.sizeof(v, t), acc)
    pa_array = getattr(v, "_pa_array", None)
    if pa_array is not None:
        account_chunked(pa_array, eng, acc)
        return
    if name == "Categorical":
        account_values(v._codes, eng, acc)
        account_index(v.categories, eng, acc)
        return
    if name == "SparseArray":
        account_values(v._sparse_values, eng, acc)
        account_values(v._sparse_index.indices, eng, acc)
        return
    parts = _EA_PARTS.get(name)
    if parts:
        for attr in parts:
            part = getattr(v, attr, None)
            if part is not None:
                account_values(part, eng, acc)
        return
    # unknown extension array: its own cheap nbytes, marked as an estimate
    nbytes = getattr(v, "nbytes", None)
    if type(nbytes) is int:
        eng.add(("ea", id(v)), nbytes, acc)
    acc.exact = False


def _is_ndarray(v: Any) -> bool:
    ndt = _ndarray_type()
    return ndt is not None and issubclass(type(v), ndt)


def account_index(idx: Any, eng: Engine, acc: Acc) -> None:
    """An Index: its values, the hash-table engine when built, MultiIndex parts."""
    t = type(idx)
    name = type_qualname(t)
    if not eng.add(("h", id(idx)), eng.sizeof(idx, t), acc):
        return
    if name == "RangeIndex":
        return
    if name == "MultiIndex":
        for level in idx.levels:
            account_index(level, eng, acc)
        for codes in idx.codes:
            account_values(codes, eng, acc)
    else:
        account_values(idx._data, eng, acc)
    cache = getattr(idx, "_cache", None)
    if type(cache) is dict and "_engine" in cache:
        try:
            eng.add(("ie", id(cache["_engine"])), int(cache["_engine"].sizeof()), acc)
        except Exception:
            acc.exact = False


def block_values(df: Any) -> List[Any]:
    """The arrays of a DataFrame's blocks."""
    return [blk.values for blk in df._mgr.blocks]


def size_dataframe(df: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``pandas.DataFrame``."""
    eng.add(("h", id(df)), eng.sizeof(df, type(df)), acc)
    for values in block_values(df):
        account_values(values, eng, acc)
    mgr_axes = df._mgr.axes
    for axis in mgr_axes:
        account_index(axis, eng, acc)
    rows, cols = len(mgr_axes[1]), len(mgr_axes[0])
    return {"shape": [rows, cols], "len": rows, "dtype": None}


def size_series(s: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``pandas.Series``."""
    eng.add(("h", id(s)), eng.sizeof(s, type(s)), acc)
    values = s._mgr.blocks[0].values
    account_values(values, eng, acc)
    account_index(s._mgr.axes[0], eng, acc)
    n = len(s._mgr.axes[0])
    return {"shape": [n], "len": n, "dtype": str(s.dtype)}


def size_index(idx: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``pandas.Index`` (and subclasses)."""
    account_index(idx, eng, acc)
    n = len(idx)
    return {"shape": [n], "len": n, "dtype": str(idx.dtype)}


def size_extension_array(v: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for pandas extension arrays (``pd.array(...)``)."""
    account_values(v, eng, acc)
    n = len(v)
    return {"shape": [n], "len": n, "dtype": str(v.dtype)}


register("pandas", "DataFrame", size_dataframe)
register("pandas", "Series", size_series)
register("pandas", "Index", size_index)
register("pandas.api.extensions", "ExtensionArray", size_extension_array)

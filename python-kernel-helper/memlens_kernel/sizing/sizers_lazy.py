"""dask and xarray: never computed; virtual size from metadata when known."""

from __future__ import annotations

import math
from typing import Any, Literal, Optional

from ..introspect import type_qualname
from .engine import Acc, Engine
from .registry import Meta, register
from .sizers_numpy import _ndarray_type, account_array


def _virtual(shape: Any, itemsize: int) -> Optional[int]:
    try:
        dims = [float(d) for d in shape]
    except Exception:
        return None
    if any(math.isnan(d) for d in dims):
        return None
    return int(math.prod(dims) * itemsize)


def size_dask_array(a: Any, eng: Engine, acc: Acc) -> Meta:
    """``dask.array.Array``: shape and dtype from metadata; nothing computed."""
    eng.add(("h", id(a)), eng.sizeof(a, type(a)), acc)
    acc.exact = False
    shape = [None if math.isnan(d) else int(d) for d in map(float, a.shape)]
    return {
        "shape": shape,
        "len": shape[0] if shape else None,
        "dtype": str(a.dtype),
        "storage": "lazy",
        "virtual_bytes": _virtual(a.shape, a.dtype.itemsize),
    }


def size_dask_collection(c: Any, eng: Engine, acc: Acc) -> Meta:
    """dask DataFrame/Series/Bag/Delayed: no ``len()`` (it would compute)."""
    eng.add(("h", id(c)), eng.sizeof(c, type(c)), acc)
    acc.exact = False
    meta: Meta = {"storage": "lazy", "virtual_bytes": None}
    npart = getattr(c, "npartitions", None)
    if type(npart) is int:
        meta["partitions"] = npart
    return meta


def _account_variable(var: Any, eng: Engine, acc: Acc) -> str:
    data = var._data
    ndt = _ndarray_type()
    if ndt is not None and issubclass(type(data), ndt):
        account_array(data, eng, acc)
        return "heap"
    name = type_qualname(type(data))
    if name == "Array" and type(data).__module__.startswith("dask"):
        acc.exact = False
        return "lazy"
    if "Lazily" in name or "MemoryCached" in name or "CopyOnWrite" in name:
        acc.exact = False
        return "file"
    nbytes = getattr(data, "nbytes", None)
    if type(nbytes) is int:
        eng.add(("xr", id(data)), nbytes, acc)
    acc.exact = False
    return "heap"


def size_xarray(obj: Any, eng: Engine, acc: Acc) -> Meta:
    """``xarray.DataArray`` / ``Dataset``: in-memory numpy sized, lazy data not loaded."""
    eng.add(("h", id(obj)), eng.sizeof(obj, type(obj)), acc)
    storages = set()
    variables = obj._variables if hasattr(obj, "_variables") else None
    if variables is None:
        storages.add(_account_variable(obj.variable, eng, acc))
        for coord in obj._coords.values():
            storages.add(_account_variable(coord, eng, acc))
    else:
        for var in variables.values():
            storages.add(_account_variable(var, eng, acc))
    storage: Literal["heap", "lazy", "file"] = (
        "heap" if storages <= {"heap"} else ("lazy" if "lazy" in storages else "file")
    )
    meta: Meta = {"storage": storage}
    if type_qualname(type(obj)) == "DataArray":
        shape = [int(d) for d in obj.shape]
        meta["shape"] = shape
        meta["len"] = shape[0] if shape else None
        meta["dtype"] = str(obj.dtype)
        if storage != "heap":
            meta["virtual_bytes"] = _virtual(obj.shape, obj.dtype.itemsize)
    return meta


def size_h5_dataset(d: Any, eng: Engine, acc: Acc) -> Meta:
    """``h5py.Dataset``: file-backed; shape and dtype from metadata, no data read."""
    eng.add(("h", id(d)), eng.sizeof(d, type(d)), acc)
    acc.exact = False
    shape = [int(x) for x in d.shape] if d.shape is not None else []
    return {
        "shape": shape,
        "len": shape[0] if shape else None,
        "dtype": str(d.dtype),
        "storage": "file",
        "virtual_bytes": _virtual(shape, d.dtype.itemsize),
    }


def size_h5_group(g: Any, eng: Engine, acc: Acc) -> Meta:
    """``h5py.File`` / ``h5py.Group``: a handle on a file; nothing of it is read.

    The HDF5 library's own caches are not visible (the size is not exact),
    but the data is in the file, not in memory.
    """
    eng.add(("h", id(g)), eng.sizeof(g, type(g)), acc)
    acc.exact = False
    return {"storage": "file"}


def size_zarr_array(z: Any, eng: Engine, acc: Acc) -> Meta:
    """``zarr.Array``: metadata only, no chunk read. An in-memory store's chunks
    are walked (they are on the heap); any other store is a file or remote."""
    eng.add(("h", id(z)), eng.sizeof(z, type(z)), acc)
    acc.exact = False
    shape = [int(x) for x in z.shape]
    dtype = z.dtype
    itemsize = getattr(dtype, "itemsize", None)
    store = getattr(z, "store", None)
    storage: Literal["heap", "file"] = "file"
    if store is not None and "Memory" in type_qualname(type(store)):
        storage = "heap"
        eng.walk(store, acc)
    meta: Meta = {
        "shape": shape,
        "len": shape[0] if shape else None,
        "dtype": str(dtype),
        "storage": storage,
    }
    if storage == "file":
        meta["virtual_bytes"] = _virtual(shape, itemsize) if type(itemsize) is int else None
    return meta


register("h5py", "Dataset", size_h5_dataset)
register("h5py", "Group", size_h5_group)
register("dask.array", "Array", size_dask_array)
register("dask.dataframe", "DataFrame", size_dask_collection)
register("dask.dataframe", "Series", size_dask_collection)
register("dask.bag", "Bag", size_dask_collection)
register("dask.delayed", "Delayed", size_dask_collection)
register("zarr", "Array", size_zarr_array)
register("xarray", "DataArray", size_xarray)
register("xarray", "Dataset", size_xarray)

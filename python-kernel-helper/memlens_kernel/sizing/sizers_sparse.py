"""scipy.sparse: the component arrays of each format."""

from __future__ import annotations

import gc
from typing import Any

from .engine import Acc, Engine
from .registry import Meta, register
from .sizers_numpy import _ndarray_type, account_array

_PARTS = {
    "csr": ("data", "indices", "indptr"),
    "csc": ("data", "indices", "indptr"),
    "bsr": ("data", "indices", "indptr"),
    "coo": ("data", "coords"),
    "dia": ("data", "offsets"),
    "lil": ("data", "rows"),
}


def size_sparse(m: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for every scipy.sparse matrix/array format."""
    eng.add(("h", id(m)), eng.sizeof(m, type(m)), acc)
    fmt = getattr(m, "format", None)
    parts = _PARTS.get(fmt) if type(fmt) is str else None
    ndt = _ndarray_type()
    if parts is None:
        for ref in gc.get_referents(m):
            eng.walk(ref, acc)
    else:
        for attr in parts:
            part = getattr(m, attr, None)
            arrays = part if type(part) is tuple else (part,)
            for a in arrays:
                if ndt is not None and issubclass(type(a), ndt):
                    account_array(a, eng, acc)
    shape = [int(d) for d in m.shape]
    return {
        "shape": shape,
        "len": shape[0] if shape else None,
        "dtype": str(m.dtype),
        "nnz": int(m.nnz) if fmt != "lil" else None,
    }


register("scipy.sparse._base", "_spbase", size_sparse)

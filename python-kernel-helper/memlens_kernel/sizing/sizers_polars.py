"""polars: ``estimated_size()`` for frames and series; LazyFrames are not run."""

from __future__ import annotations

from typing import Any

from .engine import Acc, Engine
from .registry import Meta, register

# estimated_size sums the buffers; buffers shared between frames are counted
# in each frame, so it is an upper bound within a small error.
_POLARS_ERROR = 0.02


def size_polars_frame(df: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``polars.DataFrame`` and ``polars.Series``."""
    eng.add(("h", id(df)), eng.sizeof(df, type(df)), acc)
    nbytes = int(df.estimated_size())
    acc.estimate(0, 0, 0)
    eng.add(("pl", id(df)), nbytes, acc)
    acc.err += nbytes * _POLARS_ERROR
    shape = [int(d) for d in df.shape]
    dtype = str(df.dtype) if len(shape) == 1 else None
    return {"shape": shape, "len": shape[0], "dtype": dtype}


def size_polars_lazy(lf: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``polars.LazyFrame``: the plan is never collected."""
    eng.add(("h", id(lf)), eng.sizeof(lf, type(lf)), acc)
    acc.exact = False
    return {"storage": "lazy"}


register("polars", "DataFrame", size_polars_frame)
register("polars", "Series", size_polars_frame)
register("polars", "LazyFrame", size_polars_lazy)

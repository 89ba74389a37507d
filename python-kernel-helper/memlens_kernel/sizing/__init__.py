"""Sizing engine and the per-library sizers (each registers itself)."""

from . import (  # noqa: F401  (registration side effects)
    sizers_arrow,
    sizers_faiss,
    sizers_jax,
    sizers_lazy,
    sizers_matplotlib,
    sizers_numpy,
    sizers_pandas,
    sizers_pil,
    sizers_polars,
    sizers_sklearn,
    sizers_sparse,
    sizers_spatial,
    sizers_torch,
)
from .engine import Acc, Engine, OutOfTime

__all__ = ["Acc", "Engine", "OutOfTime"]

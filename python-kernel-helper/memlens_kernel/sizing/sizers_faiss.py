"""faiss: an index keeps its vectors in C++; ``ntotal * code_size`` sizes them.

Only indexes that store codes (flat, PQ, scalar-quantizer, IVF through their
inverted lists) expose ``code_size``; their vectors dominate. Quantizers,
centroids and vector capacity slack are not visible: an estimate.
"""

from __future__ import annotations

from typing import Any

from .engine import Acc, Engine
from .registry import Meta, register

_FAISS_ERROR = 0.05


def size_faiss_index(index: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``faiss.Index`` (every SWIG index class)."""
    eng.add(("h", id(index)), eng.sizeof(index, type(index)), acc)
    ntotal = int(index.ntotal)
    code_size = getattr(index, "code_size", None)
    if type(code_size) is not int:
        invlists = getattr(index, "invlists", None)
        code_size = getattr(invlists, "code_size", None) if invlists is not None else None
    if type(code_size) is int:
        nbytes = ntotal * code_size
        if eng.add(("faiss", id(index)), nbytes, acc):
            acc.estimate(0, 0, nbytes * _FAISS_ERROR)
        else:
            acc.exact = False
    else:
        acc.opaque()
    return {"shape": [ntotal, int(index.d)], "len": ntotal}


register("faiss", "Index", size_faiss_index)

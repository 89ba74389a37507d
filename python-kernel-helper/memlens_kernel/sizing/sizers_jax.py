"""JAX: an ``Array`` keeps its buffers in XLA (CPU memory or an accelerator).

``nbytes``, ``shape`` and ``dtype`` are metadata (no device sync, no
transfer); ``devices()`` says where the buffers are. A deleted (donated)
array holds nothing. Arrays sharded over several devices report ``nbytes``
of the global array: replicated shards are not multiplied (an estimate).
"""

from __future__ import annotations

from typing import Any

from .engine import Acc, Engine
from .registry import Meta, register


def size_jax_array(a: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``jax.Array`` (``ArrayImpl``)."""
    eng.add(("h", id(a)), eng.sizeof(a, type(a)), acc)
    if a.is_deleted():
        return {"storage": "heap"}
    shape = [int(d) for d in a.shape]
    devices = sorted(f"{d.platform}:{d.id}" for d in a.devices())
    eng.add(("jax", id(a)), int(a.nbytes), acc)
    if len(devices) > 1:
        acc.exact = False
    meta: Meta = {
        "shape": shape,
        "len": shape[0] if shape else None,
        "dtype": str(a.dtype),
        "storage": "heap",
    }
    if devices and not devices[0].startswith("cpu"):
        meta["storage"] = "device"
        meta["device"] = devices[0]
    return meta


register("jax", "Array", size_jax_array)

"""torch: storage bytes per device, de-duplicated by data pointer, never copied."""

from __future__ import annotations

from typing import Any

from .engine import Acc, Engine
from .registry import Meta, register


def _device(t: Any) -> str:
    return str(t.device)


def _account_storage(t: Any, eng: Engine, acc: Acc) -> str:
    device = _device(t)
    if t.is_sparse:
        _account_storage(t._values(), eng, acc)
        _account_storage(t._indices(), eng, acc)
        return device
    if device == "meta":
        return device
    storage = t.untyped_storage()
    nbytes = int(storage.nbytes())
    if eng.add(("torch", device, storage.data_ptr()), nbytes, acc) and device != "cpu":
        acc.on_device(device, nbytes)
    return device


def size_tensor(t: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``torch.Tensor`` (Parameters included)."""
    eng.add(("h", id(t)), eng.sizeof(t, type(t)), acc)
    device = _account_storage(t, eng, acc)
    grad = t.grad if t.requires_grad else None
    if grad is not None:
        _account_storage(grad, eng, acc)
    shape = [int(d) for d in t.shape]
    meta: Meta = {
        "shape": shape,
        "len": shape[0] if shape else None,
        "dtype": str(t.dtype).replace("torch.", ""),
        "storage": "heap" if device == "cpu" else "device",
    }
    if device != "cpu":
        meta["device"] = device
    return meta


register("torch", "Tensor", size_tensor)

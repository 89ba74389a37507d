"""Pillow: an ``Image`` keeps its pixels in its ``ImagingCore`` (C memory).

Pillow stores every pixel in a whole number of bytes: 1 for "1", "L" and "P",
2 for the 16-bit modes, and 4 for "I", "F" and every multi-band mode ("RGB"
is stored as RGBX, "LA" as four bytes). Bytes = width * height * that pixel
size, plus a pointer per line and, for palette modes, the 1 KiB palette. An
image opened but not loaded (``Image.open`` before ``load()``) has no core
yet: only what is loaded is counted (its file is not read).
"""

from __future__ import annotations

import gc
from typing import Any, Optional

from ..introspect import is_managed_dict_type, type_qualname
from .engine import Acc, Engine
from .registry import Meta, register

_PIXEL_SIZE = {
    "1": 1,
    "L": 1,
    "P": 1,
    "I;16": 2,
    "I;16L": 2,
    "I;16B": 2,
    "I;16N": 2,
    "BGR;15": 2,
    "BGR;16": 2,
    "BGR;24": 3,
}
_PALETTE_BYTES = 1024
_LINE_POINTER = 8


def pixel_size(mode: str) -> int:
    """Bytes Pillow stores per pixel of ``mode``."""
    return _PIXEL_SIZE.get(mode, 4)


def _core(img: Any) -> Optional[Any]:
    for attr in ("_im", "im"):  # Pillow >= 10.1 keeps the core in ``_im``
        try:
            core = object.__getattribute__(img, attr)
        except Exception:
            continue
        if core is not None and type_qualname(type(core)) == "ImagingCore":
            return core
        if attr == "_im":
            return None  # not loaded yet (or closed): never load it
    return None


def size_image(img: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``PIL.Image.Image`` (file plugins included)."""
    t = type(img)
    refs = gc.get_referents(img)
    shallow = eng.sizeof(img, t)
    if is_managed_dict_type(t):
        shallow += 8 * len(refs) + 8  # the inline values array, as the walk counts it
    eng.add(("h", id(img)), shallow, acc)
    for ref in refs:  # info dict, palette, the core's own struct, the file
        eng.walk(ref, acc)
    core = _core(img)
    meta: Meta = {}
    if core is not None:
        mode = core.mode
        width, height = core.size
        pixels = width * height * pixel_size(mode) + height * _LINE_POINTER
        if mode in ("P", "PA"):
            pixels += _PALETTE_BYTES
        eng.add(("pil", id(core)), pixels, acc)
        meta = {"shape": [height, width], "len": height, "dtype": mode}
    return meta


register("PIL.Image", "Image", size_image)

"""matplotlib: an Agg canvas keeps its pixels in its C++ renderer.

``RendererAgg`` (the pybind11 class behind a drawn figure's canvas) owns a
width x height x 4 RGBA buffer that it exports through the buffer protocol:
a ``memoryview`` of it gives the size without copying. Fonts are
matplotlib's process-wide cache, not the figure's (see ``kinds``).
"""

from __future__ import annotations

from typing import Any

from .engine import Acc, Engine
from .registry import Meta, register


def size_agg_renderer(r: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``matplotlib.backends._backend_agg.RendererAgg``."""
    eng.add(("h", id(r)), eng.sizeof(r, type(r)), acc)
    view = memoryview(r)
    try:
        nbytes = view.nbytes
        shape = [int(d) for d in view.shape or ()]
    finally:
        view.release()
    eng.add(("agg", id(r)), nbytes, acc)
    return {"shape": shape[:2], "len": shape[0] if shape else None, "dtype": "RGBA"}


register("matplotlib.backends._backend_agg", "RendererAgg", size_agg_renderer, subclasses=False)

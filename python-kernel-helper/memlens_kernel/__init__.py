"""memlens kernel helper: why a notebook eats RAM, measured inside the kernel.

Public API (see docs/protocol.md for the payload)::

    load_ipython_extension(ip)
    inspect_namespace(ns, *, budget_ms=200.0, threshold_bytes=50 * 2**20)
    delete_variable(ns, name, *, clear_output_cache=True, shell=None)
    collect_garbage()
"""

from ._version import __version__
from .comm.protocol import COMM_TARGET, PROTOCOL_VERSION
from .extension import load_ipython_extension, unload_ipython_extension
from .features.actions import (
    clear_last_error,
    clear_output_cache,
    close_figures,
    collect_garbage,
    delete_variable,
    release_to_os,
)
from .snapshot.namespace import inspect_namespace

__all__ = [
    "COMM_TARGET",
    "PROTOCOL_VERSION",
    "__version__",
    "clear_last_error",
    "clear_output_cache",
    "close_figures",
    "collect_garbage",
    "delete_variable",
    "inspect_namespace",
    "load_ipython_extension",
    "release_to_os",
    "unload_ipython_extension",
]

"""How the walk treats each type: count and stop, skip, expand, or hand to a sizer."""

from __future__ import annotations

import sys
import types
import weakref

from ..introspect import mro, type_module, type_qualname, type_sizeof_is_default
from .registry import Dispatch

# NATIVE: walked like OBJ, but the object holds memory the helper cannot see
ATOM, SHARED, SKIP, SEQ, MAP, SET, OBJ, LIB, WEAK, NATIVE = range(10)

_ATOM_TYPES = {int, float, complex, str, bytes, bytearray, range, memoryview, slice}
_SHARED_TYPES = {type(None), bool, type(NotImplemented), type(Ellipsis)}
_SKIP_TYPES = {
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.BuiltinMethodType,
    types.MethodWrapperType,
    types.WrapperDescriptorType,
    types.MethodDescriptorType,
    types.ClassMethodDescriptorType,
    types.GetSetDescriptorType,
    types.MemberDescriptorType,
    types.CodeType,
    types.FrameType,
    types.TracebackType,
    types.CellType,
    property,
    staticmethod,
    classmethod,
}
_WEAK_TYPES = {weakref.ReferenceType, weakref.ProxyType, weakref.CallableProxyType}
# Pre-seeded into every engine: the fast paths look builtins up without classifying.
BUILTIN_KINDS = {
    **{t: ATOM for t in _ATOM_TYPES},
    **{t: SHARED for t in _SHARED_TYPES},
    **{t: SKIP for t in _SKIP_TYPES},
    **{t: WEAK for t in _WEAK_TYPES},
}
OPAQUE_MODULES = (
    "IPython",
    "ipykernel",
    "traitlets",
    "zmq",
    "tornado",
    "jupyter_client",
    "jupyter_core",
    "comm",
    "memlens_kernel",
    "prompt_toolkit",
    "_pytest",
)


# Types known to hold native memory that no cheap metadata reveals (stdlib
# compressors keep ~256 KiB of zlib/lzma state; boosters keep their trees in
# C++). Matched along the MRO by (module, qualified name).
KNOWN_NATIVE = frozenset(
    {
        ("zlib", "Compress"),
        ("zlib", "Decompress"),
        ("_bz2", "BZ2Compressor"),
        ("_bz2", "BZ2Decompressor"),
        ("_lzma", "LZMACompressor"),
        ("_lzma", "LZMADecompressor"),
        ("mmap", "mmap"),
        ("sqlite3", "Connection"),
        ("lightgbm.basic", "Booster"),
        ("xgboost.core", "Booster"),
        ("catboost.core", "CatBoost"),
    }
)
# Third-party extension modules whose sizer-less types are fixed-size values
# (dtypes, timestamps, loss functions, distance metrics): exact as they are.
FIXED_SIZE_MODULES = (
    "numpy",
    "pandas",
    "pyarrow",
    "polars",
    "torch",
    "sklearn._loss",
    "sklearn.metrics._dist_metrics",
    "sklearn.utils",
    "PIL",
    # binding libraries' own bookkeeping (function records of bound methods)
    "pybind11_builtins",
    "nanobind",
)
# Native objects owned by a library's process-wide cache, only referenced by
# the user's objects (a figure's fonts): neither counted nor flagged.
LIBRARY_CACHED = frozenset({("matplotlib.ft2font", "FT2Font")})
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"builtins"}


def is_native_opaque(t: type) -> bool:
    """True when instances of ``t`` may own memory the walk cannot see.

    Either a known native holder, or an extension type of a third-party
    module with no instance dict, no ``__slots__`` and the default
    ``__sizeof__`` (``getsizeof`` is then ``tp_basicsize`` only). Builtin and
    stdlib types, and the fixed-size value types of sized libraries, stay
    exact.
    """
    bases = mro(t)
    for base in bases:
        if (type_module(base), type_qualname(base)) in KNOWN_NATIVE:
            return True
    module = type_module(t)
    if module.split(".", 1)[0] in _STDLIB:
        return False
    for prefix in FIXED_SIZE_MODULES:
        if module == prefix or module.startswith(prefix + "."):
            return False
    return type_sizeof_is_default(t)


def classify_type(t: type, dispatch: Dispatch) -> int:
    """The walk strategy for instances of ``t``."""
    if t in _ATOM_TYPES:
        return ATOM
    if t in _SHARED_TYPES:
        return SHARED
    if t in _SKIP_TYPES:
        return SKIP
    if t in _WEAK_TYPES:
        return WEAK
    bases = mro(t)
    if type in bases:
        return SKIP
    if dispatch.lookup(t) is not None:
        return LIB
    if type_module(t).split(".", 1)[0] in OPAQUE_MODULES:
        return SKIP
    if weakref.ref in bases:
        return WEAK
    if list in bases or tuple in bases:
        return SEQ
    if dict in bases:
        return MAP
    if set in bases or frozenset in bases:
        return SET
    if (type_module(t), type_qualname(t)) in LIBRARY_CACHED:
        return SHARED
    if is_native_opaque(t):
        return NATIVE
    return OBJ

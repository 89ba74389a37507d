"""How the walk treats each type: count and stop, skip, expand, or hand to a sizer."""

from __future__ import annotations

import types
import weakref

from ..introspect import mro, type_module
from .registry import Dispatch

ATOM, SHARED, SKIP, SEQ, MAP, SET, OBJ, LIB, WEAK = range(9)

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
    return OBJ

"""Introspection that never runs user code.

Everything here reads C-level slots of ``type`` directly (``type.__dict__[...]``
descriptors), so a metaclass, a property named ``__class__`` or a module-level
``__getattr__`` cannot intercept it.
"""

from __future__ import annotations

import sys
import types
from typing import Any, Callable, Dict, Optional, Tuple

# The user's namespace (``shell.user_ns``): names bound to user objects. Typed
# ``object``: nothing may be called on them before an exact type check.
Namespace = Dict[str, object]

_type_mro = type.__dict__["__mro__"].__get__
_type_module = type.__dict__["__module__"].__get__
_type_qualname = type.__dict__["__qualname__"].__get__
_type_dict = type.__dict__["__dict__"].__get__

_BUILTIN_CALLABLES = (
    types.WrapperDescriptorType,
    types.MethodDescriptorType,
    types.BuiltinFunctionType,
    types.ClassMethodDescriptorType,
)

# PyGC_Head (and on 3.11+ the managed-dict/weakref pre-header) are not part of
# tp_basicsize; sys.getsizeof adds them, object.__sizeof__ does not.
_GC_HEAD = sys.getsizeof([]) - [].__sizeof__()
_MANAGED_DICT_FLAG = 1 << 4 if sys.version_info >= (3, 11) else 0
_PREHEADER = 16 if sys.version_info >= (3, 11) else 0


def mro(t: type) -> Tuple[type, ...]:
    """The MRO of ``t`` read from the C slot (no metaclass code runs)."""
    try:
        result = _type_mro(t)
    except Exception:
        return (t,)
    return result if type(result) is tuple else (t,)


def type_module(t: type) -> str:
    """``t.__module__`` read without running a metaclass property."""
    try:
        mod = _type_module(t)
    except Exception:
        return "?"
    return mod if type(mod) is str else "?"


def type_qualname(t: type) -> str:
    """``t.__qualname__`` from the C slot."""
    try:
        name = _type_qualname(t)
    except Exception:
        return "?"
    return name if type(name) is str else "?"


def static_lookup(t: type, name: str) -> Any:
    """First value of ``name`` in the class dicts along the MRO, or None."""
    for base in mro(t):
        try:
            d = _type_dict(base)
            value = d.get(name)
        except Exception:
            continue
        if value is not None:
            return value
    return None


def public_type_name(t: type, cache: Dict[type, str]) -> str:
    """A readable dotted name: ``list``, ``pandas.DataFrame``, ``mymod.Point``.

    The top-level package name is used when that package exports the same
    class object (checked in the module dict, never with getattr).
    """
    try:
        return cache[t]
    except KeyError:
        pass
    module = type_module(t)
    qualname = type_qualname(t)
    if module == "builtins":
        name = qualname
    else:
        top = module.split(".", 1)[0]
        name = f"{module}.{qualname}"
        top_mod = sys.modules.get(top)
        if top != module and type(top_mod) is types.ModuleType:
            try:
                if _module_dict(top_mod).get(qualname) is t:
                    name = f"{top}.{qualname}"
            except Exception:
                pass
    cache[t] = name
    return name


_module_dict_get: Callable[[types.ModuleType], Dict[str, object]] = vars(types.ModuleType)[
    "__dict__"
].__get__


def _module_dict(mod: types.ModuleType) -> Dict[str, object]:
    d: Dict[str, object] = _module_dict_get(mod)
    return d


def module_dict(mod: object) -> Optional[Dict[str, object]]:
    """The ``__dict__`` of a real module object, else None."""
    if type(mod) is not types.ModuleType:
        return None
    try:
        d = _module_dict(mod)
    except Exception:
        return None
    return d if type(d) is dict else None


def loaded_attr(module_name: str, attr: str) -> Any:
    """``module.attr`` for an already-imported module, read from its dict.

    Returns None when the module was never imported: memlens never imports a
    library on its own.
    """
    d = module_dict(sys.modules.get(module_name))
    if d is None:
        return None
    return d.get(attr)


def current_shell() -> Optional[Any]:
    """The running IPython shell, if IPython is already imported."""
    get_ipython = loaded_attr("IPython", "get_ipython")
    if get_ipython is None:
        return None
    try:
        return get_ipython()
    except Exception:
        return None


def safe_sizeof_fn(t: type) -> Tuple[Callable[[Any], int], int]:
    """How to take the shallow size of instances of ``t`` without user code.

    Returns ``(fn, extra)``: ``fn(obj) + extra`` is the size. When no class in
    the MRO overrides ``__sizeof__`` in Python, that is ``sys.getsizeof``;
    otherwise the nearest C implementation plus the GC header.
    """
    for base in mro(t):
        try:
            f = _type_dict(base).get("__sizeof__")
        except Exception:
            continue
        if f is None:
            continue
        if type(f) in _BUILTIN_CALLABLES:
            if base is t or _no_python_override(t, base):
                return sys.getsizeof, 0
            extra = _GC_HEAD if _is_gc_type(t) else 0
            try:
                flags = type.__dict__["__flags__"].__get__(t)
                if flags & _MANAGED_DICT_FLAG:
                    extra += _PREHEADER
            except Exception:
                pass
            return f, extra
        # a Python-level __sizeof__: user code, keep looking for a C one
    return object.__sizeof__, _GC_HEAD


def _no_python_override(t: type, upto: type) -> bool:
    for base in mro(t):
        if base is upto:
            return True
        try:
            if "__sizeof__" in _type_dict(base):
                return False
        except Exception:
            return False
    return True


def _type_flags(t: type) -> Optional[int]:
    """``t.__flags__`` read through ``type`` itself (a metaclass cannot fake it)."""
    try:
        flags = type.__dict__["__flags__"].__get__(t)
    except Exception:
        return None
    return flags if type(flags) is int else None


def _is_gc_type(t: type) -> bool:
    flags = _type_flags(t)
    return flags is None or bool(flags & (1 << 14))  # Py_TPFLAGS_HAVE_GC


def is_managed_dict_type(t: type) -> bool:
    """True when instances keep attributes in an inline values array (3.11+)."""
    flags = _type_flags(t) if _MANAGED_DICT_FLAG else None
    return flags is not None and bool(flags & _MANAGED_DICT_FLAG)


def type_sizeof_is_default(t: type) -> bool:
    """True for a C type whose instances have no dict, no ``__slots__`` and
    ``object.__sizeof__``: ``sys.getsizeof`` sees the fixed struct only."""
    try:
        if type.__dict__["__dictoffset__"].__get__(t):
            return False
    except Exception:
        return False
    if is_managed_dict_type(t) or has_slots(t):
        return False
    return static_lookup(t, "__sizeof__") is _OBJECT_SIZEOF


_OBJECT_SIZEOF = object.__dict__["__sizeof__"]


def has_slots(t: type) -> bool:
    """True when the class (or a Python base) declares ``__slots__``."""
    for base in mro(t):
        if base is object:
            continue
        try:
            if "__slots__" in _type_dict(base):
                return True
        except Exception:
            return False
    return False


def exc_message(exc: BaseException) -> str:
    """A message for an exception without calling user ``__str__``/``__repr__``."""
    t = type(exc)
    name = type_qualname(t)
    if type_module(t) == "builtins":
        try:
            args = BaseException.__dict__["args"].__get__(exc)
        except Exception:
            return name
        if type(args) is tuple and all(type(a) in (str, int, float) for a in args):
            text = ", ".join(str(a) for a in args)
            return f"{name}: {text}" if text else name
    return name

"""numpy: owned bytes, views resolved to their base, memmaps file-backed."""

from __future__ import annotations

import sys
from typing import Any, Dict, Hashable, List, Optional, Set, Tuple

from ..introspect import loaded_attr, type_qualname
from .engine import Acc, Engine
from .registry import Meta, register
from .sampling import sample_positions

_MAX_BASE_CHAIN = 64


def _ndarray_type() -> Optional[type]:
    t = loaded_attr("numpy", "ndarray")
    return t if isinstance(t, type) else None


class _Get:
    """ndarray's own getset descriptors: a subclass's properties never run."""

    def __init__(self) -> None:
        d = type.__dict__["__dict__"].__get__(_ndarray_type())
        self.base = d["base"].__get__
        self.nbytes = d["nbytes"].__get__
        self.shape = d["shape"].__get__
        self.dtype = d["dtype"].__get__
        self.size = d["size"].__get__
        self.flat = d["flat"].__get__
        # ndarray's own C method (== sys.getsizeof for an exact ndarray)
        self.sizeof = d.get("__sizeof__") or sys.getsizeof


class _Accessors:
    """The numpy module the accessors were read from, and the accessors."""

    def __init__(self) -> None:
        self.numpy: object = None
        self.get: Optional[_Get] = None


_ACCESSORS = _Accessors()


def nd() -> _Get:
    """Descriptor accessors for the loaded numpy (rebuilt if numpy is reloaded)."""
    np = sys.modules.get("numpy")
    cache = _ACCESSORS
    if cache.numpy is not np or cache.get is None:
        cache.get = _Get()
        cache.numpy = np
    return cache.get


def root_of(a: Any, eng: Optional[Engine] = None) -> Tuple[Any, bool]:
    """The object that owns ``a``'s buffer and whether the chain has a memmap."""
    g = nd()
    if eng is not None:
        ndt, mm = eng.cached("np.types", _np_types)
    else:
        ndt, mm = _np_types()
    file_backed = mm is not None and issubclass(type(a), mm)
    cur = a
    for _ in range(_MAX_BASE_CHAIN):
        base = g.base(cur)
        if base is None:
            return cur, file_backed
        if not issubclass(type(base), ndt):
            if type_qualname(type(base)) == "mmap":
                file_backed = True
            return base, file_backed
        if mm is not None and issubclass(type(base), mm):
            file_backed = True
        cur = base
    return cur, file_backed


def _np_types() -> Tuple[Any, Any]:
    return _ndarray_type(), loaded_attr("numpy", "memmap")


def header_size(a: Any, eng: Engine) -> int:
    """The ndarray object itself, without its data."""
    own = eng.sizeof(a, type(a))
    g = nd()
    if g.base(a) is None:
        own -= g.nbytes(a)
    return max(own, 0)


def array_meta(a: Any, eng: Optional[Engine] = None) -> Meta:
    """shape / len / dtype of an ndarray."""
    g = nd()
    shape = [int(d) for d in g.shape(a)]
    dtype = g.dtype(a)
    name = eng.cached(("dtype", dtype), lambda: str(dtype)) if eng is not None else str(dtype)
    return {
        "shape": shape,
        "len": shape[0] if shape else None,
        "dtype": name,
        "storage": "heap",
    }


def account_array(a: Any, eng: Engine, acc: Acc, *, top: bool = False) -> Meta:
    """Account an array's header and (once) the buffer it keeps alive."""
    g = nd()
    meta = array_meta(a, eng)
    eng.add(("h", id(a)), header_size(a, eng), acc)
    root, file_backed = root_of(a, eng)
    if file_backed:
        meta["storage"] = "file"
    if root is a:
        meta["owns_data"] = True
        if not file_backed:
            eng.add(("buf", id(a)), g.nbytes(a), acc)
    else:
        meta["owns_data"] = False
        base_name = eng.first_name.get(id(root))
        if top and base_name is not None and id(root) != eng.current_id:
            meta["base"] = base_name
        elif not file_backed:
            if issubclass(type(root), eng.cached("np.types", _np_types)[0]):
                eng.add(("buf", id(root)), g.nbytes(root), acc)
                eng.add(("h", id(root)), header_size(root, eng), acc)
            else:
                # a foreign buffer (bytes, Arrow, mmap ...): its own deep size
                eng.walk(root, acc)
    dtype = g.dtype(a)
    if dtype.hasobject and not file_backed:
        _account_objects(a, eng, acc)
    return meta


def _account_objects(a: Any, eng: Engine, acc: Acc) -> None:
    """Python objects referenced by an object array (sampled when large)."""
    g = nd()
    n = int(g.size(a))
    if n == 0:
        return
    if g.dtype(a).fields is not None:
        acc.exact = False  # objects inside structured records: not walked
        return
    flat = g.flat(a)
    if n <= eng._limit():
        for i in range(n):
            eng.walk(flat[i], acc)
        return
    positions = sample_positions(n, eng._k(), eng.rng)
    eng.sample_items([flat[p] for p in positions], n, acc)


def owned_array(
    a: Any, g: _Get, glob: Set[Hashable], dtypes: Dict[int, Tuple[Any, str, bool]]
) -> Optional[Tuple[int, int, List[int], str]]:
    """``(bytes, new, shape, dtype)`` of an exact ``ndarray`` owning a plain buffer.

    The numbers ``account_array`` gives, for the common small array of a big
    namespace, without its meta dict and memo calls: ``g`` is ``nd()``,
    ``glob`` the snapshot's counted keys, ``dtypes`` a per-snapshot memo.
    Returns None (nothing counted) for views and object dtypes.
    """
    if g.base(a) is not None:
        return None
    dtype = g.dtype(a)
    entry = dtypes.get(id(dtype))
    if entry is None or entry[0] is not dtype:
        entry = dtypes[id(dtype)] = (dtype, str(dtype), bool(dtype.hasobject))
    if entry[2]:
        return None
    nbytes = g.nbytes(a)
    header = max(g.sizeof(a) - nbytes, 0)  # == sys.getsizeof for an exact ndarray
    i = id(a)
    h = ("h", i)
    b = ("buf", i)
    if h in glob or b in glob:
        new = 0
        if h not in glob:
            glob.add(h)
            new += header
        if b not in glob:
            glob.add(b)
            new += nbytes
    else:
        glob.add(h)
        glob.add(b)
        new = header + nbytes
    return header + nbytes, new, list(g.shape(a)), entry[1]


def size_ndarray(a: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``numpy.ndarray`` and subclasses (memmap included)."""
    return account_array(a, eng, acc, top=eng.current_id == id(a))


def size_numpy_scalar(x: Any, eng: Engine, acc: Acc) -> Meta:
    """numpy scalars: their own small size."""
    eng.add(("h", id(x)), eng.sizeof(x, type(x)), acc)
    return {"dtype": str(x.dtype)}


register("numpy", "ndarray", size_ndarray)
register("numpy", "generic", size_numpy_scalar)

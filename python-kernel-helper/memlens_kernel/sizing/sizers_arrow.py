"""pyarrow: buffer bytes, de-duplicated by buffer address."""

from __future__ import annotations

from typing import Any

from .engine import Acc, Engine
from .registry import Meta, register


def account_arrow_array(arr: Any, eng: Engine, acc: Acc) -> None:
    """Every buffer of an Array (children included) once; dictionaries too."""
    eng.add(("h", id(arr)), eng.sizeof(arr, type(arr)), acc)
    for buf in arr.buffers():
        if buf is not None:
            eng.add(("ab", buf.address), buf.size, acc)
    dictionary = getattr(arr, "dictionary", None) if _is_dictionary(arr) else None
    if dictionary is not None:
        eng.transient.append(dictionary)
        account_arrow_array(dictionary, eng, acc)


def _is_dictionary(arr: Any) -> bool:
    return type(arr).__qualname__ == "DictionaryArray"


def account_chunked(ca: Any, eng: Engine, acc: Acc) -> None:
    """All chunks of a ChunkedArray."""
    eng.add(("h", id(ca)), eng.sizeof(ca, type(ca)), acc)
    chunks = ca.chunks  # new wrapper objects on every access
    eng.transient.append(chunks)
    for chunk in chunks:
        account_arrow_array(chunk, eng, acc)


def size_array(arr: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``pyarrow.Array``."""
    account_arrow_array(arr, eng, acc)
    n = len(arr)
    return {"shape": [n], "len": n, "dtype": str(arr.type)}


def size_chunked(ca: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``pyarrow.ChunkedArray``."""
    account_chunked(ca, eng, acc)
    n = len(ca)
    return {"shape": [n], "len": n, "dtype": str(ca.type)}


def size_table(t: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``pyarrow.Table`` and ``pyarrow.RecordBatch``."""
    eng.add(("h", id(t)), eng.sizeof(t, type(t)), acc)
    columns = t.columns
    eng.transient.append(columns)
    for col in columns:
        if type(col).__qualname__ == "ChunkedArray":
            account_chunked(col, eng, acc)
        else:
            account_arrow_array(col, eng, acc)
    return {"shape": [t.num_rows, t.num_columns], "len": t.num_rows, "dtype": None}


def size_buffer(buf: Any, eng: Engine, acc: Acc) -> Meta:
    """Registered sizer for ``pyarrow.Buffer``."""
    eng.add(("h", id(buf)), eng.sizeof(buf, type(buf)), acc)
    eng.add(("ab", buf.address), buf.size, acc)
    return {"len": buf.size}


register("pyarrow", "Array", size_array)
register("pyarrow", "ChunkedArray", size_chunked)
register("pyarrow", "Table", size_table)
register("pyarrow", "RecordBatch", size_table)
register("pyarrow", "Buffer", size_buffer)

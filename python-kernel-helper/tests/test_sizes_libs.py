"""scipy.sparse, pyarrow, polars, torch, dask, xarray: sized from metadata, never computed."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import var, within

import memlens_kernel as mk


def snap(ns, **kw):
    kw.setdefault("budget_ms", 10_000)  # behaviour, not speed: the machine may be loaded
    return mk.inspect_namespace(ns, findings=False, **kw)


def test_scipy_sparse_formats():
    sparse = pytest.importorskip("scipy.sparse")
    dense = np.zeros((2000, 2000))
    dense[::7, ::3] = 1.0
    for fmt in ("csr", "csc", "coo", "bsr", "dia"):
        m = sparse.random(2000, 2000, density=0.01, format=fmt, random_state=1)
        parts = {
            "csr": ("data", "indices", "indptr"),
            "csc": ("data", "indices", "indptr"),
            "bsr": ("data", "indices", "indptr"),
            "coo": ("data", "row", "col"),
            "dia": ("data", "offsets"),
        }[fmt]
        truth = sum(getattr(m, p).nbytes for p in parts)
        v = var(snap({"m": m}), "m")
        assert within(v["size_bytes"], truth, 0.05), (fmt, v["size_bytes"], truth)
        assert v["shape"] == [2000, 2000] and v["nnz"] == m.nnz
    lil = sparse.lil_matrix(dense)
    assert var(snap({"m": lil}), "m")["size_bytes"] > lil.nnz * 8


def test_pyarrow_table_and_shared_buffers():
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"a": np.arange(1_000_000), "s": [str(i) for i in range(1_000_000)]})
    s = snap({"t": table, "col": table.column("a"), "sl": table.slice(10, 100)})
    t = var(s, "t")
    assert within(t["size_bytes"], table.get_total_buffer_size(), 0.01)
    assert t["shape"] == [1_000_000, 2]
    # the column and the slice share the table's buffers: counted once in total
    assert s["total_bytes"] < table.get_total_buffer_size() * 1.01 + 10_000


def test_polars_frame_and_lazy_frame_not_collected():
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"a": np.arange(1_000_000), "s": [str(i) for i in range(1_000_000)]})
    calls = []

    def spy(batch):
        calls.append(1)
        return batch

    lazy = df.lazy().map_batches(spy)
    s = snap({"df": df, "lazy": lazy})
    v = var(s, "df")
    assert within(v["size_bytes"], df.estimated_size(), 0.01)
    assert v["shape"] == [1_000_000, 2]
    assert var(s, "lazy")["storage"] == "lazy"
    assert calls == []


def test_torch_storage_dedup_and_no_copy():
    torch = pytest.importorskip("torch")
    t = torch.zeros(1_000_000, dtype=torch.float32)
    view = t[::2]
    p = torch.nn.Parameter(torch.ones(1000, 1000))
    s = snap({"t": t, "view": view, "p": p})
    assert within(var(s, "t")["size_bytes"], 4_000_000, 0.01)
    assert var(s, "t")["dtype"] == "float32" and var(s, "t")["storage"] == "heap"
    assert within(var(s, "p")["size_bytes"], 4_000_000, 0.01)
    assert s["total_bytes"] < 8_000_000 * 1.01 + 10_000  # view shares t's storage
    meta = torch.empty(10**9, device="meta")
    assert var(snap({"m": meta}), "m")["size_bytes"] < 1000


def test_dask_is_never_computed():
    dask = pytest.importorskip("dask")
    da = pytest.importorskip("dask.array")
    dd = pytest.importorskip("dask.dataframe")
    import pandas as pd

    calls = []

    def make():
        calls.append(1)
        return np.ones((1000, 1000))

    arr = da.from_delayed(dask.delayed(make)(), shape=(1000, 1000), dtype=np.float64)
    frame = dd.from_pandas(pd.DataFrame({"a": np.arange(1000)}), npartitions=4)
    frame = frame.map_partitions(lambda p: (calls.append(1), p)[1], meta=frame._meta)
    calls.clear()
    s = snap({"arr": arr, "frame": frame})
    assert calls == []
    a = var(s, "arr")
    assert a["storage"] == "lazy" and a["virtual_bytes"] == 8_000_000
    assert a["shape"] == [1000, 1000] and a["size_bytes"] < 100_000
    f = var(s, "frame")
    assert f["storage"] == "lazy" and f["len"] is None and f["partitions"] == 4


def test_xarray_in_memory_and_lazy():
    xr = pytest.importorskip("xarray")
    pytest.importorskip("dask.array")
    data = xr.DataArray(np.zeros((1000, 100)), dims=("x", "y"))
    ds = xr.Dataset({"a": data, "b": data.chunk({"x": 100})})
    s = snap({"data": data, "ds": ds})
    d = var(s, "data")
    assert within(d["size_bytes"], 800_000, 0.02) and d["storage"] == "heap"
    assert var(s, "ds")["storage"] == "lazy"

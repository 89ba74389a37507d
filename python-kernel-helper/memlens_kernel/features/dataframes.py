"""Per-column memory of a pandas DataFrame and dtype suggestions (LV103).

Rules that keep a suggestion correct (docs/protocol.md, `dataframe`): never float16;
float32 only when every value keeps its decimal precision; integer downcasts
checked against the real min/max; integral floats with NaN become nullable
``Int*``; low-cardinality strings become ``category``, other object strings
``string[pyarrow]``; mostly-NaN floats become sparse.
"""

from __future__ import annotations

import importlib.util
import random
import sys
import time
from typing import Any, List, Optional, Tuple, TypedDict

from ..sizing import Acc, Engine
from ..sizing.sampling import sample_positions
from ..sizing.sizers_pandas import account_index, account_values
from ..wire import Column, DataframeReport

MIN_SAVING_FRACTION = 0.10
MIN_SAVING_BYTES = 2**20
SAMPLE = 2000
LOW_CARDINALITY = 0.5  # distinct / rows at or below which category pays off
QUICK_LOW_CARDINALITY = 0.05
_INTS = [
    ("int8", 1, -(2**7), 2**7 - 1),
    ("uint8", 1, 0, 2**8 - 1),
    ("int16", 2, -(2**15), 2**15 - 1),
    ("uint16", 2, 0, 2**16 - 1),
    ("int32", 4, -(2**31), 2**31 - 1),
    ("uint32", 4, 0, 2**32 - 1),
    ("int64", 8, -(2**63), 2**63 - 1),
]


class _ProposalRequired(TypedDict):
    dtype: str
    new_bytes: float


class Proposal(_ProposalRequired, total=False):
    """A dtype a column could use and its size then (``estimated`` from a sample)."""

    estimated: bool


def _label_code(label: Any) -> Optional[str]:
    if type(label) in (str, int):
        return repr(label)
    return None


def _fit_int(mn: float, mx: float, nullable: bool) -> Optional[Tuple[str, int]]:
    for name, size, lo, hi in _INTS:
        if nullable and name.startswith("u"):
            continue
        if lo <= mn and mx <= hi:
            return ("I" + name[1:] if nullable else name), size
    return None


def _suggest_numeric(values: Any, rows: int, np: Any) -> Optional[Proposal]:
    kind, itemsize = values.dtype.kind, values.dtype.itemsize
    if rows == 0:
        return None
    if kind in "iu":
        fit = _fit_int(int(values.min()), int(values.max()), False)
        if fit and fit[1] < itemsize:
            return {"dtype": fit[0], "new_bytes": rows * fit[1]}
        return None
    if kind != "f" or itemsize < 8:
        return None
    nan = np.isnan(values)
    n_nan = int(nan.sum())
    if n_nan >= 0.9 * rows:
        return {"dtype": "Sparse[float64, nan]", "new_bytes": (rows - n_nan) * 12}
    finite = values[~nan] if n_nan else values
    if finite.size and bool(np.isfinite(finite).all()) and bool((finite == np.floor(finite)).all()):
        fit = _fit_int(float(finite.min()), float(finite.max()), n_nan > 0)
        if fit:
            extra = rows if n_nan else 0  # the nullable mask, one byte per row
            return {"dtype": fit[0], "new_bytes": rows * fit[1] + extra}
    return _suggest_float32(finite, rows, np)


def _suggest_float32(finite: Any, rows: int, np: Any) -> Optional[Proposal]:
    if not finite.size or not bool(np.isfinite(finite).all()):
        return None
    for decimals in range(0, 7):
        if bool((np.round(finite, decimals) == finite).all()):
            break
    else:
        return None
    magnitude = float(np.abs(finite).max())
    int_digits = len(str(int(magnitude))) if magnitude >= 1 else 0
    if int_digits + decimals > 6:
        return None
    back = finite.astype(np.float32).astype(np.float64)
    if not bool((np.round(back, decimals) == finite).all()):
        return None
    return {"dtype": "float32", "new_bytes": rows * 4}


def _suggest_strings(
    col: Any, rows: int, current: float, rng: random.Random, quick: bool = False
) -> Optional[Proposal]:
    positions = sample_positions(rows, SAMPLE, rng)
    sample = col.iloc[positions].tolist()
    if not sample or not all(type(s) is str for s in sample):
        return None
    distinct = len(set(sample))
    if distinct <= LOW_CARDINALITY * len(sample):
        # quick (inside a snapshot): the sample's distinct count, no full hash pass
        if quick and distinct > QUICK_LOW_CARDINALITY * len(sample):
            return None
        n_unique = distinct if quick else int(col.nunique(dropna=False))
        if n_unique <= LOW_CARDINALITY * rows:
            code_size = 1 if n_unique < 2**7 else 2 if n_unique < 2**15 else 4
            mean_len = sum(len(s.encode("utf-8")) for s in sample) / len(sample)
            cats = n_unique * (mean_len + 8)
            return {"dtype": "category", "new_bytes": rows * code_size + cats, "estimated": True}
    if str(col.dtype) != "object" or importlib.util.find_spec("pyarrow") is None:
        return None
    mean_len = sum(len(s.encode("utf-8")) for s in sample) / len(sample)
    new = rows * (8 + mean_len) + rows / 8
    return {"dtype": "string[pyarrow]", "new_bytes": new, "estimated": True}


def _column_bytes(values: Any, rows: int) -> float:
    eng = Engine(time.perf_counter() + 30.0, {})
    try:
        ndt = sys.modules["numpy"].ndarray
        acc = Acc()
        if issubclass(type(values), ndt) and values.dtype.hasobject:
            acc.bytes = rows * 8.0
            flat = values.ravel()
            items = [flat[p] for p in sample_positions(rows, SAMPLE, eng.rng)]
            eng.sample_items(items, rows, acc)
        elif issubclass(type(values), ndt):
            acc.bytes = float(values.nbytes)
        else:
            account_values(values, eng, acc)
        return acc.bytes
    finally:
        eng.close()


def _index_bytes(index: Any) -> int:
    eng = Engine(time.perf_counter() + 30.0, {})
    try:
        acc = Acc()
        account_index(index, eng, acc)
        return int(acc.bytes)
    finally:
        eng.close()


def analyze_dataframe(
    df: Any, name: str, *, budget_s: float = 10.0, max_columns: int = 2000, quick: bool = False
) -> DataframeReport:
    """Per-column dtype, memory and (where it pays) a suggested dtype with code.

    ``quick`` (used inside a snapshot) decides string columns from a sample
    only; the ``dataframe`` request runs the exact pass.
    """
    np = sys.modules["numpy"]
    deadline = time.perf_counter() + budget_s
    rng = random.Random(7)
    rows = len(df.index)
    columns: List[Column] = []
    complete = True
    for i, label in enumerate(list(df.columns[:max_columns])):
        if time.perf_counter() > deadline:
            complete = False
            break
        col = df.iloc[:, i]
        values = col._values
        current = _column_bytes(values, rows)
        entry: Column = {
            "column": label if type(label) in (str, int, float) else str(i),
            "dtype": str(col.dtype),
            "memory_bytes": int(current),
            "suggestion": None,
        }
        sugg = None
        try:
            if issubclass(type(values), np.ndarray) and values.dtype.kind in "iuf":
                sugg = _suggest_numeric(values, rows, np)
            elif str(col.dtype) in ("object", "str", "string"):
                sugg = _suggest_strings(col, rows, current, rng, quick)
        except Exception:
            sugg = None
        label_code = _label_code(label)
        if sugg and label_code is not None:
            saving = current - sugg["new_bytes"]
            if saving > 0 and saving >= MIN_SAVING_FRACTION * current:
                dtype = sugg["dtype"]
                entry["suggestion"] = {
                    "dtype": dtype,
                    "saving_bytes": int(saving),
                    "saving_pct": round(100.0 * saving / current, 1) if current else 0.0,
                    "estimated": bool(sugg.get("estimated", False)),
                    "code": f"{name}[{label_code}] = {name}[{label_code}].astype({dtype!r})",
                }
        columns.append(entry)
    suggested = [(c, c["suggestion"]) for c in columns if c["suggestion"] is not None]
    mapping = ", ".join(f"{_label_code(c['column'])}: {s['dtype']!r}" for c, s in suggested)
    code = f"{name} = {name}.astype({{{mapping}}})" if suggested else None
    return {
        "name": name,
        "rows": rows,
        "n_columns": len(df.columns),
        "columns": columns,
        "index_bytes": _index_bytes(df.index),
        "total_saving_bytes": int(sum(s["saving_bytes"] for _c, s in suggested)),
        "code": code,
        "complete": complete and len(df.columns) <= max_columns,
    }

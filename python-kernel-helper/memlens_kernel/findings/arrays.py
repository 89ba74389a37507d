"""LV103 dataframe-dtypes, LV104 sparse-candidate, LV108 duplicate-data."""

from __future__ import annotations

import random
import sys
from typing import Any, Dict, List

from ..features.dataframes import MIN_SAVING_BYTES, MIN_SAVING_FRACTION, analyze_dataframe
from ..introspect import loaded_attr
from ..wire import DataframeReport, Finding, Variable
from .base import FindingContext, finding, fmt_bytes, size_of

SPARSE_MIN_BYTES = 10 * 2**20
SPARSE_DENSITY = 0.10
SCREEN_SAMPLE = 1000
DUP_MIN_BYTES = 10 * 2**20
FULL_COMPARE_MAX = 256 * 2**20
DF_SNAPSHOT_MAX_CELLS = 2_000_000
DTYPES_MIN_BYTES = 2**20


def dtype_finding(name: str, size: int, report: DataframeReport) -> List[Finding]:
    """LV103 from a ``dataframe`` analysis (also used by the ``dataframe`` request)."""
    saving = report["total_saving_bytes"]
    if not report["code"] or saving < MIN_SAVING_BYTES or saving < MIN_SAVING_FRACTION * size:
        return []
    cols = [(c, c["suggestion"]) for c in report["columns"] if c["suggestion"] is not None]
    parts = ", ".join(f"{c['column']!s} → {s['dtype']}" for c, s in cols[:5])
    msg = (
        f"`{name}` can shrink by {fmt_bytes(saving)} ({100.0 * saving / size:.0f}%) "
        f"with narrower dtypes: {parts}" + (" …" if len(cols) > 5 else "")
    )
    return [
        finding(
            "LV103",
            "info",
            name,
            msg,
            size_bytes=size,
            action={"type": "insert_cell", "code": report["code"]},
            details={
                "saving_bytes": saving,
                "columns": [{"column": c["column"], "dtype": c["dtype"], **s} for c, s in cols],
            },
        )
    ]


def lv103_dtypes(ctx: FindingContext) -> List[Finding]:
    """LV103 for frames small enough to analyze inside the snapshot budget."""
    df_type = loaded_attr("pandas", "DataFrame")
    if df_type is None:
        return []
    out: List[Finding] = []
    for var in ctx.large(DTYPES_MIN_BYTES):
        obj: Any = ctx.objects.get(var["name"])
        if type(obj) is not df_type:
            continue
        shape = var.get("shape") or [0, 0]
        if (shape[0] or 0) * (shape[1] or 0) > DF_SNAPSHOT_MAX_CELLS or ctx.time_left() < 0.02:
            continue
        report = analyze_dataframe(obj, var["name"], budget_s=ctx.time_left(), quick=True)
        out.extend(dtype_finding(var["name"], size_of(var), report))
    return out


def lv104_sparse(ctx: FindingContext) -> List[Finding]:
    """LV104: a big numeric array that is mostly zeros (density sampled)."""
    np = sys.modules.get("numpy")
    if np is None:
        return []
    rng = random.Random(104)
    out: List[Finding] = []
    for var in ctx.large(SPARSE_MIN_BYTES):
        a: Any = ctx.objects.get(var["name"])
        if type(a) is not np.ndarray:
            continue
        if a.dtype.kind not in "biuf" or a.ndim not in (1, 2) or ctx.time_left() < 0.005:
            continue
        positions = _np_positions(np, a.size, 10_000, rng)
        # screen on the first 1,000 positions: a density far above the limit
        # (> 2x, ten standard errors at 1,000 samples) needs no more gathering
        head = positions[:SCREEN_SAMPLE]
        if float(np.count_nonzero(a.flat[head])) / max(1, head.size) > 2 * SPARSE_DENSITY:
            continue
        density = float(np.count_nonzero(a.flat[positions])) / max(1, positions.size)
        if density > SPARSE_DENSITY:
            continue
        nnz = density * a.size
        index_bytes = 4 if a.size < 2**31 else 8
        rows = a.shape[0] + 1 if a.ndim == 2 else 2
        sparse_bytes = int(nnz * (a.itemsize + index_bytes) + rows * index_bytes)
        fmt = "csr_matrix" if a.ndim == 2 else "coo_array"
        msg = (
            f"`{var['name']}` is {100 * density:.1f}% non-zero (sampled): as scipy.sparse "
            f"{fmt} it would take ~{fmt_bytes(sparse_bytes)} instead of "
            f"{fmt_bytes(size_of(var))}"
        )
        out.append(
            finding(
                "LV104",
                "info",
                var["name"],
                msg,
                size_bytes=size_of(var),
                action=None,
                details={"density": round(density, 5), "sparse_bytes": sparse_bytes, "format": fmt},
            )
        )
    return out


def _np_positions(np: Any, n: int, k: int, rng: random.Random) -> Any:
    """``k`` uniform positions in ``range(n)``, vectorized, seeded from ``rng``."""
    return np.random.default_rng(rng.getrandbits(32)).integers(0, n, size=min(k, n))


def _array_key(a: Any) -> Any:
    return ("nd", tuple(a.shape), str(a.dtype))


def lv108_duplicates(ctx: FindingContext) -> List[Finding]:
    """LV108: names holding equal large data that are not the same object."""
    np = sys.modules.get("numpy")
    groups: Dict[Any, List[Variable]] = {}
    seen_ids = set()
    for var in ctx.large(DUP_MIN_BYTES):
        if var.get("owns_data") is False:
            continue
        obj: Any = ctx.objects.get(var["name"])
        if id(obj) in seen_ids:
            continue  # an alias is LV102's business, not a duplicate
        seen_ids.add(id(obj))
        if np is not None and type(obj) is np.ndarray and obj.dtype.kind in "biufcmM":
            groups.setdefault(_array_key(obj), []).append(var)
        elif type(obj) in (str, bytes):
            groups.setdefault((type(obj), len(obj)), []).append(var)
    out: List[Finding] = []
    rng = random.Random(108)
    for key, members in groups.items():
        if len(members) < 2:
            continue
        candidates = [members]
        if key[0] == "nd":
            # one gather per array at shared positions; only equal samples are compared
            first: Any = ctx.objects[members[0]["name"]]  # an ndarray (checked above)
            pos = _np_positions(np, first.size, 1000, rng)
            by_sample: Dict[bytes, List[Variable]] = {}
            for m in members:
                arr: Any = ctx.objects[m["name"]]
                sample = arr.flat[pos].tobytes()
                by_sample.setdefault(sample, []).append(m)
            candidates = [g for g in by_sample.values() if len(g) > 1]
        for group in candidates:
            out.extend(_report_duplicates(group, key[0] == "nd", np, ctx))
    return out


def _report_duplicates(
    members: List[Variable], is_array: bool, np: Any, ctx: FindingContext
) -> List[Finding]:
    out: List[Finding] = []
    reported = set()
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if b["name"] in reported or ctx.time_left() < 0.005:
                continue
            verdict = _same_data(ctx.objects[a["name"]], ctx.objects[b["name"]], is_array, np, ctx)
            if not verdict:
                continue
            reported.add(b["name"])
            msg = (
                f"`{b['name']}` holds the same data as `{a['name']}` "
                f"({fmt_bytes(size_of(b))}, {verdict} equal)"
            )
            out.append(
                finding(
                    "LV108",
                    "info",
                    b["name"],
                    msg,
                    size_bytes=size_of(b),
                    action={"type": "delete", "name": b["name"]},
                    details={"same_as": a["name"], "checked": verdict},
                )
            )
    return out


def _same_data(x: Any, y: Any, is_array: bool, np: Any, ctx: FindingContext) -> str:
    """Called after equal samples: a full comparison when cheap, else "sampled"."""
    if not is_array:
        return "fully" if x == y else ""
    if x.nbytes <= FULL_COMPARE_MAX and ctx.time_left() > 0.05:
        return "fully" if bool(np.array_equal(x, y, equal_nan=x.dtype.kind == "f")) else ""
    return "sampled"

"""Typed shapes of the snapshot messages (mirrors schema/protocol.schema.json).

``tests/test_wire_types.py`` checks that every TypedDict's keys and required
keys equal the schema's ``properties`` and ``required`` lists. Written as two
classes each (required base, optional rest) so Python 3.9 can read them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, TypedDict


class _VariableRequired(TypedDict):
    name: str
    type: str
    size_bytes: Optional[int]
    size_exact: bool
    size_error: Optional[float]
    shape: Optional[List[Optional[int]]]
    len: Optional[int]
    dtype: Optional[str]
    held_by: List[str]
    storage: str


class Variable(_VariableRequired, total=False):
    """One user variable of a snapshot (``variables`` items)."""

    owns_data: bool
    base: str
    device: str
    virtual_bytes: Optional[int]
    nnz: Optional[int]
    partitions: int
    native: str
    pending: bool
    error: str


class Finding(TypedDict):
    """One live finding (LV1xx)."""

    rule: str
    severity: str
    variable: Optional[str]
    message: str
    size_bytes: Optional[int]
    action: Optional[Dict[str, Any]]
    details: Dict[str, Any]


class Progress(TypedDict):
    """How far a (possibly continued) snapshot pass got."""

    sized: int
    total: int


class _SnapshotRequired(TypedDict):
    elapsed_ms: float
    budget_ms: float
    complete: bool
    variables: List[Variable]
    skipped: List[Dict[str, str]]
    hidden: List[Dict[str, Any]]
    findings: List[Finding]
    total_bytes: int
    gc: Dict[str, Any]
    process: Dict[str, Any]


class Snapshot(_SnapshotRequired, total=False):
    """The snapshot payload (``inspect_namespace`` and ``snapshot_reply.snapshot``)."""

    total_by_storage: Dict[str, int]
    error: str
    seq: int
    delta: bool
    removed: List[str]
    progress: Progress
    # dask clusters in the namespace (clusters.py builds them)
    clusters: List[Dict[str, Any]]


class _SnapshotRequestRequired(TypedDict):
    protocol: str
    id: int
    type: str


class SnapshotRequest(_SnapshotRequestRequired, total=False):
    """A ``snapshot`` request."""

    budget_ms: float
    threshold_bytes: int
    findings: bool
    since: int

"""The typed records in memlens_kernel.wire mirror the protocol schema exactly."""

from __future__ import annotations

import pytest

from memlens_kernel import wire


@pytest.mark.parametrize(
    "typed, definition",
    [
        (wire.Variable, "Variable"),
        (wire.Finding, "Finding"),
        (wire.Snapshot, "Snapshot"),
        (wire.SnapshotRequest, "SnapshotRequest"),
    ],
)
def test_typed_dict_keys_equal_schema_properties(schema, typed, definition):
    spec = schema["$defs"][definition]
    assert set(typed.__annotations__) == set(spec["properties"])
    assert set(typed.__required_keys__) == set(spec.get("required", []))


def test_progress_matches_the_snapshot_progress_object(schema):
    spec = schema["$defs"]["Snapshot"]["properties"]["progress"]
    assert set(wire.Progress.__annotations__) == set(spec["properties"])
    assert set(wire.Progress.__required_keys__) == set(spec["required"])


def test_records_built_by_make_record_have_every_required_key(schema):
    from memlens_kernel.snapshot.records import make_record, pending

    required = set(schema["$defs"]["Variable"]["required"])
    assert set(make_record("x", "int", 32)) == required
    assert set(pending("x", 1, {})) == required | {"pending"}

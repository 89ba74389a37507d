"""memlens_kernel.wire is generated from the protocol schema and up to date with it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from memlens_kernel import wire

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "make_wire_types.py"


def _generator():
    spec = importlib.util.spec_from_file_location("make_wire_types", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_wire_types"] = module
    spec.loader.exec_module(module)
    return module


def test_wire_module_is_up_to_date_with_the_schema():
    gen = _generator()
    assert Path(wire.__file__).read_text(encoding="utf-8") == gen.render(), (
        "memlens_kernel/wire.py is stale: run python-kernel-helper/scripts/make_wire_types.py"
    )


def _object_defs(schema):
    return [n for n, d in schema["$defs"].items() if d.get("type") == "object"]


def test_every_object_definition_has_a_typed_dict(schema):
    names = _object_defs(schema)
    assert len(names) >= 40
    for name in names:
        typed = getattr(wire, name)
        spec = schema["$defs"][name]
        assert set(typed.__annotations__) == set(spec["properties"]), name
        assert set(typed.__required_keys__) == set(spec.get("required", [])), name


@pytest.mark.parametrize("alias", ["Request", "Reply", "Event", "Action"])
def test_one_of_definitions_are_unions(schema, alias):
    members = getattr(wire, alias).__args__
    assert len(members) == len(schema["$defs"][alias]["oneOf"])


def test_progress_matches_the_snapshot_progress_object(schema):
    spec = schema["$defs"]["Snapshot"]["properties"]["progress"]
    assert set(wire.SnapshotProgress.__annotations__) == set(spec["properties"])
    assert set(wire.SnapshotProgress.__required_keys__) == set(spec["required"])


def test_records_built_by_make_record_have_every_required_key(schema):
    from memlens_kernel.snapshot.records import make_record, pending

    required = set(schema["$defs"]["Variable"]["required"])
    assert set(make_record("x", "int", 32)) == required
    assert set(pending("x", 1, {})) == required | {"pending"}

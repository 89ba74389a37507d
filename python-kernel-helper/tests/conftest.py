"""Shared fixtures: the protocol schema validator and ground-truth helpers."""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path
from typing import Any, Callable, Dict

import pytest

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO / "schema" / "protocol.schema.json"


@pytest.fixture(scope="session")
def schema() -> Dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


@pytest.fixture(scope="session")
def validate(schema: Dict[str, Any]) -> Callable[[Any], None]:
    """Validate one message (after a JSON round trip) against the protocol schema."""
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema)

    def check(message: Any) -> None:
        wire = json.loads(json.dumps(message, allow_nan=False))
        errors = sorted(validator.iter_errors(wire), key=lambda e: e.path)
        assert not errors, (
            "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
            + f"\nmessage type={message.get('type') if isinstance(message, dict) else None}"
        )

    return check


def traced(factory: Callable[[], Any]) -> tuple:
    """Build an object under tracemalloc: (object, bytes it allocated and kept)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        obj = factory()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return obj, after - before


def var(snapshot: Dict[str, Any], name: str) -> Dict[str, Any]:
    """The variable record called ``name`` in a snapshot."""
    for v in snapshot["variables"]:
        if v["name"] == name:
            return v
    raise AssertionError(f"{name} not in snapshot: {[v['name'] for v in snapshot['variables']]}")


def within(reported: float, truth: float, rel: float) -> bool:
    return abs(reported - truth) <= rel * truth

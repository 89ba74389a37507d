"""The exact session in-process: what its marks do inside the user's cell."""

from __future__ import annotations

import ast
import sys
import tracemalloc
from typing import Any, Dict

import pytest

from memlens_kernel.profiling.session import LINE_TABLE_ON_TRACE, ProfileSession
from memlens_kernel.profiling.statements import add_marks


def profile(source: str, namespace: Dict[str, Any]) -> Dict[str, Any]:
    tree = ast.parse(source)
    session = ProfileSession(filename="<cell>", tree=tree)
    code = compile(add_marks(tree), "<cell>", "exec")
    session.start()
    try:
        exec(code, namespace)
    finally:
        data = session.finish()
    return data


@pytest.fixture
def untraced():
    if tracemalloc.is_tracing() or sys.gettrace() is not None:
        pytest.skip("a trace is already running (coverage?)")
    yield
    assert not tracemalloc.is_tracing() and sys.gettrace() is None


def test_a_failing_mark_never_fails_the_cell(untraced, monkeypatch):
    def broken(self: ProfileSession, line: int, compound: bool) -> None:
        raise RuntimeError("bookkeeping bug")

    monkeypatch.setattr(ProfileSession, "_start_statement", broken)
    namespace: Dict[str, Any] = {}
    data = profile("a = [0] * 1000\nfor i in range(3):\n    b = i\n", namespace)
    assert namespace["a"] == [0] * 1000 and namespace["b"] == 2
    assert any("bookkeeping bug" in note for note in data["notes"])


def test_the_trace_ends_with_the_last_statement(untraced):
    source = "seen = [tracemalloc.is_tracing()]\nkept = bytes(3_000_000)\n"
    tree = ast.parse(source)
    session = ProfileSession(filename="<cell>", tree=tree)
    namespace: Dict[str, Any] = {"tracemalloc": tracemalloc}
    session.start()
    try:
        exec(compile(add_marks(tree), "<cell>", "exec"), namespace)
        # the last statement's end read the traces and stopped the trace:
        # what runs after it (IPython's display, history) is not traced
        after_cell = tracemalloc.is_tracing()
    finally:
        data = session.finish()
    assert namespace["seen"] == [True] and after_cell is False
    lines = {entry["line"]: entry for entry in data["lines"]}
    assert abs(lines[2]["net_bytes"] - 3_000_000) < 0.01 * 3_000_000


@pytest.mark.skipif(not LINE_TABLE_ON_TRACE, reason="the line table trick is for 3.11")
def test_the_first_call_trace_removes_itself_and_is_never_left(untraced):
    namespace: Dict[str, Any] = {"sys": sys}
    profile(
        "inside = [sys.gettrace() for _ in range(3)]\nlast = len('no python call')\n",
        namespace,
    )
    # gone at the comprehension's call event: nothing runs per iteration
    assert namespace["inside"] == [None, None, None]
    assert sys.gettrace() is None
    with pytest.raises(ZeroDivisionError):
        profile("x = 1 / 0\n", {})
    assert sys.gettrace() is None

"""The exact session's line events through ``sys.monitoring`` (Python 3.12+).

This machine runs 3.11, which has no ``sys.monitoring``: a stand-in with the
same calls (tool ids, ``register_callback``, ``set_local_events`` on one
code object, ``DISABLE`` per line) drives the session's callback from a
trace function, so the session's use of the API is exercised here; on 3.12+
the real one is used (and this test runs against it too).
"""

from __future__ import annotations

import ast
import sys
import tracemalloc
from typing import Any, Callable, Dict, Optional, Set, Tuple

import pytest

from memlens_kernel.profiling import lines as lines_mod
from memlens_kernel.profiling import session as session_mod
from memlens_kernel.profiling.statements import add_marks


class FakeMonitoring:
    """The part of ``sys.monitoring`` the session uses, on ``sys.settrace``."""

    DISABLE = object()

    class events:  # mirrors sys.monitoring.events
        LINE = 1 << 5

    def __init__(self) -> None:
        self.tools: Dict[int, str] = {}
        self.callbacks: Dict[Tuple[int, int], Optional[Callable[..., Any]]] = {}
        self.local: Dict[Any, int] = {}
        self.disabled: Set[Tuple[Any, int]] = set()
        self.line_calls = 0

    def get_tool(self, tool: int) -> Optional[str]:
        return self.tools.get(tool)

    def use_tool_id(self, tool: int, name: str) -> None:
        if tool in self.tools:
            raise ValueError("tool in use")
        self.tools[tool] = name

    def free_tool_id(self, tool: int) -> None:
        self.tools.pop(tool, None)

    def register_callback(self, tool: int, event: int, func: Any) -> None:
        self.callbacks[(tool, event)] = func

    def set_local_events(self, tool: int, code: Any, events: int) -> None:
        frame = sys._getframe(1)
        while frame is not None and frame.f_code is not code:
            frame = frame.f_back
        if events:
            self.local[code] = tool
            if frame is not None:
                frame.f_trace = self._trace
                frame.f_trace_lines = True
            sys.settrace(lambda *a: None)
        else:
            self.local.pop(code, None)
            if frame is not None:
                frame.f_trace = None
            sys.settrace(None)

    def _trace(self, frame: Any, event: str, arg: Any) -> Any:
        code = frame.f_code
        if event == "line" and code in self.local:
            key = (code, frame.f_lineno)
            callback = self.callbacks.get((self.local[code], self.events.LINE))
            if key not in self.disabled and callback is not None:
                self.line_calls += 1
                if callback(code, frame.f_lineno) is self.DISABLE:
                    self.disabled.add(key)
        return self._trace


@pytest.fixture(params=["monitoring", "settrace"])
def monitoring(request, monkeypatch):
    """``sys.monitoring`` (real or stand-in), or none: the settrace fallback."""
    if request.param == "settrace":
        monkeypatch.delattr(sys, "monitoring", raising=False)
        yield None
        return
    if hasattr(sys, "monitoring"):
        yield sys.monitoring
        return
    fake = FakeMonitoring()
    monkeypatch.setattr(sys, "monitoring", fake, raising=False)
    yield fake


def run(source: str) -> Dict[int, Dict[str, Any]]:
    tree = ast.parse(source)
    profile = session_mod.ProfileSession(filename="<mon>", tree=tree)
    code = compile(add_marks(tree), "<mon>", "exec")
    namespace: Dict[str, Any] = {}  # held until the profile is read
    profile.start()
    try:
        exec(code, namespace)
    finally:
        data = profile.finish()
    return {entry["line"]: entry for entry in data["lines"]}


def test_lines_of_a_loop_stop_being_followed(monitoring):
    if sys.gettrace() is not None:
        pytest.skip("a trace function (coverage?) is active")
    lines = run(
        "acc = []\n"
        "for i in range(5_000):\n"
        "    acc.append(bytes(1000))\n"
        "big = [bytes(100_000) for _ in range(3)]\n"
    )
    # net stays exact, the loop's lines stopped after LINE_RUNS runs
    assert abs(lines[3]["net_bytes"] - 5_000 * sys.getsizeof(bytes(1000))) < 0.02 * 5e6
    limit = lines_mod.LINE_RUNS if monitoring else lines_mod.LINE_EVENT_LIMIT // 2
    assert lines[3]["count"] in (limit, limit + 1) and lines[3]["count_partial"]
    assert lines[4]["count"] == 1 and lines[4]["net_bytes"] >= 300_000
    if isinstance(monitoring, FakeMonitoring):
        assert monitoring.line_calls <= 2 * lines_mod.LINE_RUNS + 2
        assert monitoring.tools == {} and monitoring.local == {}
    assert sys.gettrace() is None and not tracemalloc.is_tracing()


def test_a_short_loop_counts_every_run(monitoring):
    if sys.gettrace() is not None:
        pytest.skip("a trace function (coverage?) is active")
    lines = run("keep = []\nfor i in range(3):\n    keep.append(bytes(2_000_000))\n")
    assert lines[3]["count"] == 3 and "count_partial" not in lines[3]
    assert abs(lines[3]["peak_bytes"] - 6e6) < 0.1 * 6e6

"""Per-line memory profile through a real kernel: arming, accuracy, bad input."""

from __future__ import annotations

import ast
import sys
from typing import Any, Dict, List

import pytest
from kernel_client import Kernel

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    k = Kernel(tmp_path_factory.mktemp("profile"))
    try:
        k.execute("%load_ext memlens_kernel\nimport numpy as np, tracemalloc, sys, time")
        k.open_comm()
        yield k
    finally:
        k.close()


def run_cell(k: Kernel, code: str, cell_id: str, timeout: float = 120.0) -> Dict[str, Any]:
    return k.run_cell(code, cell_id, timeout)


def profiled(k: Kernel, code: str, cell_id: str, **args: Any) -> Dict[str, Any]:
    reply = k.request("profile", cell_id=cell_id, **args)
    assert reply["ok"], reply
    assert reply["method"] == args.get("method", "tracemalloc")
    before = len(k.events)
    run_cell(k, code, cell_id)
    events = [e for e in k.events[before:] if e["event"] == "profile"]
    assert len(events) == 1, k.events[before:]
    data = events[0]["data"]
    assert data["cell_id"] == cell_id
    return data


def by_line(data: Dict[str, Any]) -> Dict[int, Dict[str, Any]]:
    return {entry["line"]: entry for entry in data["lines"]}


def near(value: float, truth: float, tol: float = 0.10) -> bool:
    return abs(value - truth) <= tol * truth


def not_traced(k: Kernel) -> bool:
    """No trace, no sampler thread, no marks, switch interval as it was."""
    left = k.user_expression(
        "(tracemalloc.is_tracing(), sys.gettrace(), sys.getswitchinterval(),"
        " [t.name for t in __import__('threading').enumerate() if t.name == 'memlens-sampler'],"
        " [n for n in dir(__import__('builtins')) if n.startswith('__memlens')],"
        " [t for t in get_ipython().ast_transformers if 'Mark' in type(t).__name__])"
    )
    return left == "(False, None, 0.005, [], [], [])"


def test_numpy_list_string_lines(kernel):
    code = (
        "a = np.ones(10_000_000)\n"  # 80 MB kept
        "\n"
        "b = (np.ones(10_000_000) + np.ones(10_000_000)).sum()\n"  # 160 MB peak, none kept
        "c = [float(i) for i in range(500_000)]\n"  # ~4 MB list + 12 MB floats
        "s = 'x' * 20_000_000\n"
    )
    data = profiled(kernel, code, "cell-np")
    lines = by_line(data)
    assert near(lines[1]["net_bytes"], 80e6) and near(lines[1]["peak_bytes"], 80e6)
    assert abs(lines[3]["net_bytes"]) < 0.01 * 80e6
    assert near(lines[3]["peak_bytes"], 160e6)
    truth_c = 500_000 * 24 + 8 * 500_000
    assert near(lines[4]["net_bytes"], truth_c, 0.15)
    assert near(lines[5]["net_bytes"], 20e6) and near(lines[5]["peak_bytes"], 20e6)
    assert 2 not in lines
    assert all(entry["count"] == 1 for entry in data["lines"])
    assert not_traced(kernel)


LIGHT_LAST_LINE = (
    "a = np.ones(10_000_000)\nb = (np.ones(10_000_000) + np.ones(10_000_000)).sum()\nc = 1\n"
)


def test_light_lines_are_left_out(kernel):
    """A line with nothing above 1 KiB is not in the event (CONTRACTS.md §3).

    IPython compiles each top-level statement just before it runs (~10 KiB of
    transient blocks) and runs its history and post-execute hooks after the
    last one: none of it may count for a statement, first, middle or last.
    """
    for run in range(2):
        lines = by_line(profiled(kernel, LIGHT_LAST_LINE, f"cell-light-{run}"))
        assert sorted(lines) == [1, 2], lines
        assert near(lines[1]["peak_bytes"], 80e6, 0.01)
    lines = by_line(profiled(kernel, "c = 1\nd = [0] * 1000\ne = 3\nc\n", "cell-light-small"))
    assert sorted(lines) == [2], lines
    assert near(lines[2]["net_bytes"], sys.getsizeof([0] * 1000))
    assert kernel.user_expression("Out[max(Out)]") == "1"
    assert not_traced(kernel)


def test_light_last_line_is_left_out_of_the_magic_table(kernel):
    before = len(kernel.events)
    run_cell(
        kernel,
        "from IPython.utils.capture import capture_output\n"
        "with capture_output() as light_out:\n"
        f"    get_ipython().run_cell_magic('memlens_profile', '', {LIGHT_LAST_LINE!r})\n",
        "cell-light-magic",
    )
    events = [e for e in kernel.events[before:] if e["event"] == "profile"]
    assert len(events) == 1
    # the magic's line 1 is %%memlens_profile: the cell's lines are 2, 3, 4
    assert sorted(by_line(events[0]["data"])) == [2, 3]
    table = ast.literal_eval(kernel.user_expression("light_out.stdout"))
    rows = [row.split()[0] for row in table.splitlines()[1:] if row.split()[0].isdigit()]
    assert rows == ["2", "3"], table
    assert "c = 1" not in table
    assert not_traced(kernel)


def test_functions_from_other_cells_and_loops(kernel):
    run_cell(kernel, "def make(n):\n    return np.zeros(n) + 1\n", "cell-def")
    code = "keep = []\nfor i in range(3):\n    keep.append(make(1_000_000))\n"
    data = profiled(kernel, code, "cell-loop")
    lines = by_line(data)
    assert near(lines[3]["net_bytes"], 24e6)
    assert lines[3]["count"] == 3
    # what the line's runs hold together counts for its peak (never below net)
    assert near(lines[3]["peak_bytes"], 24e6)


def test_hot_loop_stops_line_tracing_but_keeps_net(kernel):
    code = "acc = []\nfor i in range(30_000):\n    acc.append(bytes(1000))\n"
    data = profiled(kernel, code, "cell-hot")
    line = by_line(data)[3]
    assert near(line["net_bytes"], 30_000 * sys.getsizeof(bytes(1000)))
    assert line.get("count_partial") is True and 0 < line["count"] < 30_000
    assert any("lower bounds" in note for note in data["notes"])
    assert not_traced(kernel)


def test_pandas_line(kernel):
    pytest.importorskip("pandas")
    code = "import pandas as pd\ndf = pd.DataFrame({'a': np.arange(5_000_000)})\n"
    lines = by_line(profiled(kernel, code, "cell-pd"))
    assert near(lines[2]["net_bytes"], 40e6, 0.10)


def test_dataframe_from_arrays_and_a_deleted_input(kernel):
    pytest.importorskip("pandas")
    code = (
        "import pandas as pd\n"
        "prices = np.random.default_rng(0).random(5_000_000)\n"
        "returns = np.diff(np.log(prices))\n"
        "table = pd.DataFrame({'price': prices[1:], 'ret': returns})\n"
        "del prices\n"
    )
    lines = by_line(profiled(kernel, code, "cell-pd-table"))
    # prices is gone at the end: its line keeps nothing, only its peak
    assert abs(lines[2]["net_bytes"]) < 0.01 * 40e6
    assert near(lines[2]["peak_bytes"], 40e6)
    assert near(lines[3]["net_bytes"], 40e6)
    # the frame copies both columns (2 x 5M floats) inside pandas
    assert near(lines[4]["net_bytes"], 80e6)


def test_unarmed_cell_is_not_traced_and_arming_is_once(kernel):
    before = len(kernel.events)
    run_cell(kernel, "z = np.ones(1_000_000)", "cell-plain")
    assert not [e for e in kernel.events[before:] if e["event"] == "profile"]
    assert not_traced(kernel)
    profiled(kernel, "z = np.ones(1_000_000)", "cell-once")
    before = len(kernel.events)
    run_cell(kernel, "z = np.ones(1_000_000)", "cell-once")
    assert not [e for e in kernel.events[before:] if e["event"] == "profile"]


def test_arming_twice_and_bad_ids(kernel):
    first = kernel.request("profile", cell_id="twice")
    second = kernel.request("profile", cell_id="twice")
    assert first["ok"] and not first["already_armed"]
    assert second["ok"] and second["already_armed"]
    for bad in (None, "", 3, "x" * 1000):
        reply = kernel.request("profile", cell_id=bad)
        assert not reply["ok"] and "cell_id" in reply["error"]
    # an id that never runs stays armed and costs nothing
    run_cell(kernel, "pass", "other")
    assert not_traced(kernel)


def test_raising_cell_still_reports_and_stops(kernel):
    data = profiled(kernel, "big = np.ones(2_000_000)\nraise ValueError('x')\n", "cell-raise")
    assert near(by_line(data)[1]["net_bytes"], 16e6)
    assert not_traced(kernel)


def test_magics_and_shell_escapes_keep_line_numbers(kernel):
    code = "%time q = 1\n!true\nw = np.ones(3_000_000)\n"
    lines = by_line(profiled(kernel, code, "cell-magic"))
    assert near(lines[3]["net_bytes"], 24e6)


def test_user_tracemalloc_left_running(kernel):
    run_cell(kernel, "tracemalloc.start(5)", "cell-user-tm")
    profiled(kernel, "u = np.ones(1_000_000)", "cell-user")
    out = kernel.user_expression("(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())")
    assert out == "(True, 5)"
    run_cell(kernel, "tracemalloc.stop()", "cell-user-stop")


def test_cell_magic_prints_table_and_sends_event(kernel):
    before = len(kernel.events)
    msg = run_cell(kernel, "%%memlens_profile\nm = np.ones(4_000_000)\nn = 1\n", "cell-mag")
    events = [e for e in kernel.events[before:] if e["event"] == "profile"]
    assert len(events) == 1
    lines = by_line(events[0]["data"])
    assert near(lines[2]["net_bytes"], 32e6)
    assert not_traced(kernel)
    assert msg is not None


def test_interrupt_stops_tracing(kernel):
    kernel.request("profile", cell_id="cell-int")
    content = {"code": "import time\nx = np.ones(1_000_000)\ntime.sleep(30)\n", "silent": False}
    msg = kernel.kc.session.msg("execute_request", content, metadata={"cellId": "cell-int"})
    kernel.kc.shell_channel.send(msg)
    import time

    time.sleep(2)
    kernel.km.interrupt_kernel()
    kernel.pump(
        lambda m: (
            m["msg_type"] == "status"
            and m["content"]["execution_state"] == "idle"
            and m["parent_header"].get("msg_id") == msg["header"]["msg_id"]
        ),
        60,
    )
    events: List[Dict[str, Any]] = [e for e in kernel.events if e["event"] == "profile"]
    assert events[-1]["data"]["cell_id"] == "cell-int"
    assert not_traced(kernel)


@pytest.mark.skipif(sys.platform != "linux", reason="signals")
def test_event_is_valid_schema(kernel, validate):
    data = profiled(kernel, "v = np.ones(1_000_000)", "cell-schema")
    validate({"protocol": "1.2", "type": "event", "event": "profile", "data": data})
    data = profiled(kernel, "v = np.ones(1_000_000)", "cell-schema-s", method="sampled")
    validate({"protocol": "1.2", "type": "event", "event": "profile", "data": data})


def test_lv109_growing_cell_names_cell_and_names(kernel):
    run_cell(kernel, "grow = []", "cell-grow-init")
    kernel.request("snapshot", budget_ms=2000)
    for _ in range(3):
        run_cell(kernel, "grow.append(np.ones(2_000_000) + 0)", "cell-grow")
    reply = kernel.request("snapshot", budget_ms=2000)
    found = [f for f in reply["snapshot"]["findings"] if f["rule"] == "LV109"]
    assert len(found) == 1, reply["snapshot"]["findings"]
    assert found[0]["details"]["cell_id"] == "cell-grow"
    assert "grow" in found[0]["details"]["names"]
    run_cell(kernel, "grow.clear()", "cell-grow-free")
    run_cell(kernel, "x1 = 1", "cell-grow")  # a run that does not grow ends it
    reply = kernel.request("snapshot", budget_ms=2000)
    assert not [f for f in reply["snapshot"]["findings"] if f["rule"] == "LV109"]


def test_exact_loop_def_and_comprehension_lines(kernel):
    code = (
        "def grow(n):\n"
        "    return [str(i) * 4 for i in range(n)]\n"
        "out = []\n"
        "for k in range(3):\n"
        "    out.append(np.zeros(1_000_000) + k)\n"
        "rows = grow(100_000)\n"
        "sq = {i: i * i for i in range(100_000, 150_000)}\n"
    )
    data = profiled(kernel, code, "cell-exact-mix")
    lines = by_line(data)
    assert near(lines[5]["net_bytes"], 24e6) and lines[5]["count"] == 3
    truth_rows = int(kernel.user_expression("sys.getsizeof(rows) + sum(map(sys.getsizeof, rows))"))
    assert near(lines[6]["net_bytes"], truth_rows)
    truth_sq = int(
        kernel.user_expression(
            "sys.getsizeof(sq) + sum(sys.getsizeof(k) + sys.getsizeof(v) for k, v in sq.items())"
        )
    )
    assert near(lines[7]["net_bytes"], truth_sq)
    assert 2 not in lines  # a def body counts for the line that called it
    assert not_traced(kernel)


def test_statements_sharing_the_last_line_are_all_traced(kernel):
    lines = by_line(profiled(kernel, "k = 1; ks = np.ones(2_000_000)\n", "cell-semicolon"))
    assert near(lines[1]["net_bytes"], 16e6)
    assert not_traced(kernel)


def test_display_after_the_last_statement_is_not_traced(kernel):
    # the trace is read and stopped when the last statement ends: IPython's
    # display of its value (and the history, the post-execute hooks) run untraced
    run_cell(
        kernel,
        "class TracingProbe:\n"
        "    def __repr__(self):\n"
        "        return 'traced' if tracemalloc.is_tracing() else 'untraced'\n",
        "cell-probe-def",
    )
    data = profiled(
        kernel, "probe = TracingProbe()\nkept = np.ones(1_000_000)\nprobe\n", "cell-probe"
    )
    assert near(by_line(data)[2]["net_bytes"], 8e6)
    assert kernel.user_expression("Out[max(Out)]") == "untraced"
    assert not_traced(kernel)


def test_exact_interrupt_inside_a_loop_stops_tracing(kernel):
    interrupted(kernel, "for i in range(100):\n    time.sleep(0.5)\n", "cell-int-loop", None)


@pytest.mark.parametrize("method", ["tracemalloc", "sampled"])
def test_expression_display_and_history_are_unchanged(kernel, method):
    profiled(kernel, "shown = 6 * 7\nshown\n", f"cell-display-{method}", method=method)
    assert kernel.user_expression("Out[max(Out)]") == "42"


def test_sampled_80mb_line_and_freed_temporaries(kernel):
    code = (
        "big = np.ones(10_000_000)\n"  # 80 MB kept
        "n = 1\n"
        "t = (np.ones(10_000_000) * 2).sum()\n"  # 160 MB peak, freed
    )
    data = profiled(kernel, code, "cell-sampled", method="sampled")
    assert data["method"] == "sampled"
    lines = by_line(data)
    assert near(lines[1]["net_bytes"], 80e6, 0.20) and near(lines[1]["peak_bytes"], 80e6, 0.20)
    assert 2 not in lines
    assert abs(lines[3]["net_bytes"]) < 0.2 * 80e6
    assert lines[3]["peak_bytes"] >= 0.8 * 80e6
    assert any("sampled" in note for note in data["notes"])
    assert not_traced(kernel)


def test_sampled_counts_pages_not_touched_yet_once(kernel):
    code = "zz = np.zeros(10_000_000)\nzz[:] = 1\nee = np.empty(5_000_000)\n"
    lines = by_line(profiled(kernel, code, "cell-sampled-zeros", method="sampled"))
    assert near(lines[1]["net_bytes"], 80e6, 0.20)
    assert 2 not in lines or abs(lines[2]["net_bytes"]) < 0.2 * 80e6
    assert near(lines[3]["net_bytes"], 40e6, 0.20)


def test_sampled_loop_lines(kernel):
    code = (
        "keep = []\n"
        "for i in range(2):\n"
        "    keep.append(np.ones(5_000_000))\n"  # 40 MB a run, 80 MB in all
        "    loop_half = i // 2\n"
    )
    # (memory the process already holds and reuses does not grow resident
    # memory: chunks above glibc's mmap threshold always do)
    data = profiled(kernel, code, "cell-sampled-loop", method="sampled")
    lines = by_line(data)
    assert near(lines[3]["net_bytes"], 80e6, 0.20), repr(data)
    assert lines[3].get("count_partial") is True


def test_sampled_magic_and_bad_method(kernel):
    before = len(kernel.events)
    run_cell(kernel, "%%memlens_profile --sampled\nm2 = np.ones(10_000_000)\n", "cell-smag")
    events = [e for e in kernel.events[before:] if e["event"] == "profile"]
    assert len(events) == 1 and events[0]["data"]["method"] == "sampled"
    assert near(by_line(events[0]["data"])[2]["net_bytes"], 80e6, 0.20)
    reply = kernel.request("profile", cell_id="cell-bad-method", method="memray")
    assert not reply["ok"] and "method" in reply["error"]
    assert not_traced(kernel)


def test_sampled_raise_interrupt_and_user_tracemalloc(kernel):
    data = profiled(
        kernel,
        "big2 = np.ones(10_000_000)\nraise ValueError('x')\n",
        "cell-s-raise",
        method="sampled",
    )
    assert near(by_line(data)[1]["net_bytes"], 80e6, 0.20)
    assert not_traced(kernel)
    interrupted(kernel, "x = np.ones(1_000_000)\ntime.sleep(30)\n", "cell-s-int", "sampled")
    run_cell(kernel, "tracemalloc.start(5)", "cell-s-user-tm")
    profiled(kernel, "u2 = np.ones(1_000_000)", "cell-s-user", method="sampled")
    out = kernel.user_expression(
        "(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit(),"
        " tracemalloc.get_object_traceback(u2) is not None)"
    )
    assert out == "(True, 5, True)"
    run_cell(kernel, "tracemalloc.stop()", "cell-s-user-stop")


def test_hello_lists_profile_methods(kernel):
    reply = kernel.request("hello")
    assert reply["capabilities"]["profile_methods"] == ["tracemalloc", "sampled"]


def interrupted(k: Kernel, code: str, cell_id: str, method: Any) -> None:
    args = {"method": method} if method else {}
    assert k.request("profile", cell_id=cell_id, **args)["ok"]
    content = {"code": code, "silent": False}
    msg = k.kc.session.msg("execute_request", content, metadata={"cellId": cell_id})
    k.kc.shell_channel.send(msg)
    import time

    time.sleep(2)
    k.km.interrupt_kernel()
    k.pump(
        lambda m: (
            m["msg_type"] == "status"
            and m["content"]["execution_state"] == "idle"
            and m["parent_header"].get("msg_id") == msg["header"]["msg_id"]
        ),
        60,
    )
    events: List[Dict[str, Any]] = [e for e in k.events if e["event"] == "profile"]
    assert events[-1]["data"]["cell_id"] == cell_id
    assert events[-1]["data"]["method"] == (method or "tracemalloc")
    assert not_traced(k)

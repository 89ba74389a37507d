"""``explain`` (protocol 1.2) through a real kernel and the comm.

The parts add up to the resident size; a big array is in ``variables``; the
same array displayed then deleted is ``hidden`` under its ``Out[n]`` holder
and ``clear_output_cache`` really frees it; after a fragmenting workload the
``allocator`` part holds most of what stayed resident and ``release_to_os``
gives it back.
"""

from __future__ import annotations

from typing import Any, Dict

import pytest
from kernel_client import Kernel

from memlens_kernel.features.allocator import parse_pymalloc_stats
from memlens_kernel.features.baseline import imports_in
from memlens_kernel.features.explain import holder_fix, split

pytest.importorskip("jupyter_client")
MB = 1_000_000
KINDS = ["variables", "hidden", "baseline", "allocator", "unattributed"]


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    k = Kernel(tmp_path_factory.mktemp("explain"))
    try:
        reply = k.execute("%load_ext memlens_kernel\nimport numpy as np, weakref, gc")
        assert reply["content"]["status"] == "ok", reply["content"]
        k.open_comm()
        assert k.request("hello")["ok"]
        yield k
    finally:
        k.close()


def explain(kernel: Kernel, validate: Any) -> Dict[str, Any]:
    reply = kernel.request("explain", budget_ms=2000)
    validate(reply)
    assert reply["ok"], reply
    return reply["result"]


def part(result: Dict[str, Any], kind: str) -> Dict[str, Any]:
    return next(p for p in result["parts"] if p["kind"] == kind)


def rss(kernel: Kernel) -> int:
    return int(kernel.user_expression("int(open('/proc/self/statm').read().split()[1]) * 4096"))


def test_parts_add_up_to_the_resident_size_and_name_a_big_array(kernel, validate):
    kernel.execute("big = np.ones(300 * 1000 * 1000 // 8)")
    result = explain(kernel, validate)
    assert [p["kind"] for p in result["parts"]] == KINDS
    total = sum(p["bytes"] for p in result["parts"])
    assert abs(total - result["rss_bytes"]) <= 0.01 * result["rss_bytes"]
    assert all(p["bytes"] >= 0 for p in result["parts"])
    measured = rss(kernel)
    assert abs(result["rss_bytes"] - measured) <= 0.05 * measured
    variables = part(result, "variables")
    assert variables["bytes"] >= 300 * MB
    assert variables["top"][0] == {"name": "big", "bytes": pytest.approx(300 * MB, rel=0.01)}
    assert result["limit_bytes"] and result["limit_source"] in ("cgroup", "rlimit", "system")
    assert part(result, "baseline")["bytes"] > 10 * MB  # interpreter + numpy at least
    kernel.execute("del big")


def test_a_displayed_then_deleted_array_is_hidden_until_clear_output_cache(kernel, validate):
    kernel.execute("shown = np.ones(300 * 1000 * 1000 // 8)\nref = weakref.ref(shown)")
    kernel.execute("shown")  # displayed: Out[n], _, _n hold it
    kernel.execute("del shown\ngc.collect()")
    assert kernel.user_expression("ref() is None") == "False"
    result = explain(kernel, validate)
    hidden = part(result, "hidden")
    assert hidden["bytes"] >= 300 * MB
    top = hidden["top"][0]
    assert top["holder"].startswith("Out[") and top["fix"] == "clear_output_cache"
    assert top["bytes"] == pytest.approx(300 * MB, rel=0.01)
    assert top["type"] == "numpy.ndarray"
    assert "shown" not in [t.get("name") for t in part(result, "variables")["top"]]

    cleared = kernel.request("clear_output_cache")
    validate(cleared)
    assert cleared["ok"]
    assert kernel.user_expression("ref() is None") == "True"
    freed = cleared["result"]["rss_before"] - cleared["result"]["rss_after"]
    assert freed >= 250 * MB, cleared["result"]
    after = explain(kernel, validate)
    assert part(after, "hidden")["bytes"] < 10 * MB
    assert after["rss_bytes"] <= result["rss_bytes"] - 250 * MB


def test_freed_small_blocks_show_in_the_allocator_part_until_released(kernel, validate):
    kernel.request("release_to_os")
    before = explain(kernel, validate)["rss_bytes"]
    kernel.execute(
        "n = 2000\nblocks = [b'x' * n for _ in range(200_000)]\n"
        "kept = blocks[::64]\n"
        "del blocks\ngc.collect()"
    )
    result = explain(kernel, validate)
    stayed = result["rss_bytes"] - before
    assert stayed > 100 * MB, "the workload should leave freed memory resident"
    allocator = part(result, "allocator")
    assert allocator["fix"] == "release_to_os"
    assert allocator["detail"]["glibc_free"] > 0
    assert allocator["bytes"] >= 0.5 * stayed, (allocator, stayed)

    released = kernel.request("release_to_os")
    validate(released)
    assert released["ok"] and released["result"]["trimmed"]
    assert released["result"]["released_bytes"] >= 0.5 * allocator["bytes"]
    after = explain(kernel, validate)
    assert part(after, "allocator")["bytes"] < 0.5 * allocator["bytes"]
    kernel.execute("del kept")


def test_explain_continues_the_snapshot_pass_within_its_budget(kernel, validate):
    kernel.execute(
        "many = {f'n{i}': list(range(200)) for i in range(5000)}\nglobals().update(many)"
    )
    first = kernel.request("explain", budget_ms=5)
    validate(first)
    assert first["ok"]
    assert first["result"]["elapsed_ms"] < 200
    for _ in range(50):
        if kernel.request("explain", budget_ms=50)["result"]["complete"]:
            break
    else:
        pytest.fail("explain never completed its pass")
    snap = kernel.request("snapshot", budget_ms=50)
    assert snap["snapshot"]["complete"]  # the sizes explain measured were reused
    kernel.execute("for k in many: del globals()[k]\ndel many")


def test_bad_budget_is_refused(kernel):
    reply = kernel.request("explain", budget_ms="fast")
    assert reply["ok"] is False and "budget_ms" in reply["error"]


def test_split_caps_each_part_and_keeps_the_rest():
    assert split(100, 30, 20, 10, 10) == [30, 20, 10, 10, 30]
    assert split(100, 80, 30, 10, 10) == [80, 20, 0, 0, 0]  # never above the total
    assert split(100, -5, 0, 0, 200) == [0, 0, 0, 100, 0]
    assert sum(split(12345, 6000, 3000, 2000, 5000)) == 12345


def test_holders_map_to_the_action_that_frees_them():
    assert holder_fix("Out[7]") == "clear_output_cache"
    assert holder_fix("_") == "clear_output_cache"
    assert holder_fix("_12") == "clear_output_cache"
    assert holder_fix("last execution result") == "clear_output_cache"
    assert holder_fix("last exception (frame f)") == "clear_last_error"
    assert holder_fix("InteractiveTB.tb") == "clear_last_error"
    assert holder_fix("pyplot figure 3") == "close_figures"


def test_pymalloc_report_parsing():
    text = (
        b"Small block threshold = 512, in 32 size classes.\n"
        b"# bytes in allocated blocks        =              852,960\n"
        b"# bytes in available blocks        =              350,960\n"
        b"3 unused pools * 16384 bytes       =               49,152\n"
        b"# bytes lost to pool headers       =                3,552\n"
    )
    assert parse_pymalloc_stats(text) == {"available": 350960, "unused_pools": 49152}
    assert parse_pymalloc_stats(b"") == {}


def test_only_cells_with_an_import_statement_count_as_imports():
    assert imports_in("import numpy as np\nx = 1")
    assert imports_in("x = 1\n  from pandas import DataFrame")
    assert imports_in("if True:\n    import json")
    assert not imports_in("df = pd.DataFrame(rows)  # pandas imports submodules here")
    assert not imports_in("important = 1\nfromage = 2")
    assert not imports_in(None)

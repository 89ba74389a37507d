"""The memory limit (protocol 1.2): detection, the ``guard`` override, LV111."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from kernel_client import Kernel

from memlens_kernel.features import limit

GiB = 2**30


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_cgroup_v2_takes_the_tightest_limit_up_the_hierarchy(tmp_path):
    write(tmp_path / "proc_cgroup", "0::/user.slice/kernel.scope\n")
    write(tmp_path / "cg/user.slice/kernel.scope/memory.max", "max\n")
    write(tmp_path / "cg/user.slice/memory.max", f"{8 * GiB}\n")
    write(tmp_path / "cg/memory.max", f"{16 * GiB}\n")
    got = limit.cgroup_limit(str(tmp_path / "cg"), str(tmp_path / "proc_cgroup"))
    assert got == 8 * GiB


def test_cgroup_v2_on_a_hybrid_host_and_namespaced_path(tmp_path):
    # the path in /proc/self/cgroup is not visible inside a container's namespace:
    # the root's file (the container's own cgroup) still counts
    write(tmp_path / "proc_cgroup", "1:memory:/docker/abc\n0::/docker/abc\n")
    write(tmp_path / "cg/unified/memory.max", f"{3 * GiB}\n")
    got = limit.cgroup_limit(str(tmp_path / "cg"), str(tmp_path / "proc_cgroup"))
    assert got == 3 * GiB


def test_cgroup_v1_limit_and_its_unlimited_value(tmp_path):
    write(tmp_path / "proc_cgroup", "4:memory:/kernels/k1\n3:cpu:/\n")
    write(tmp_path / "cg/memory/kernels/k1/memory.limit_in_bytes", f"{2 * GiB}\n")
    assert limit.cgroup_limit(str(tmp_path / "cg"), str(tmp_path / "proc_cgroup")) == 2 * GiB
    write(tmp_path / "cg/memory/kernels/k1/memory.limit_in_bytes", "9223372036854771712\n")
    assert limit.cgroup_limit(str(tmp_path / "cg"), str(tmp_path / "proc_cgroup")) is None


def test_no_cgroup_files_means_no_cgroup_limit(tmp_path):
    assert limit.cgroup_limit(str(tmp_path / "none"), str(tmp_path / "missing")) is None


def test_rlimit_as_is_found_in_a_limited_process():
    code = (
        "import json, resource\n"
        "from memlens_kernel.features import limit\n"
        "print(json.dumps([limit.rlimit(), limit.detect()]))\n"
    )
    cap = 6 * GiB

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, resource.RLIM_INFINITY))

    out = subprocess.run(
        [sys.executable, "-c", code],
        preexec_fn=limited,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found, detected = json.loads(out)
    assert found == cap
    if limit.physical_memory() and limit.physical_memory() > cap and not limit.cgroup_limit():
        assert detected == [cap, "rlimit"]


def test_detect_falls_back_to_physical_memory():
    value, source = limit.detect()
    physical = limit.physical_memory()
    assert physical and value and value <= physical
    assert source in ("cgroup", "rlimit", "system")
    if source == "system":
        assert value == physical


def test_override_wins_and_null_restores_detection():
    lim = limit.MemoryLimit()
    detected = lim.get()
    lim.override = 123 * GiB
    assert lim.get() == (123 * GiB, "setting")
    lim.override = None
    assert lim.get() == detected


# -- through a real kernel --------------------------------------------------


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    pytest.importorskip("jupyter_client")
    k = Kernel(tmp_path_factory.mktemp("limit"))
    try:
        assert k.execute("%load_ext memlens_kernel")["content"]["status"] == "ok"
        k.open_comm()
        yield k
    finally:
        k.close()


def test_hello_and_snapshot_carry_the_limit(kernel, validate):
    hello = kernel.request("hello")
    validate(hello)
    assert hello["limit_bytes"] == limit.detect()[0]
    assert hello["limit_source"] == limit.detect()[1]
    assert {"explain", "guard"} <= set(hello["capabilities"]["requests"])
    assert "LV111" in hello["capabilities"]["rules"]
    snap = kernel.request("snapshot")
    validate(snap)
    process = snap["snapshot"]["process"]
    assert process["limit_bytes"] == hello["limit_bytes"]
    assert process["limit_source"] == hello["limit_source"]


def test_guard_limit_overrides_then_restores(kernel, validate):
    reply = kernel.request("guard", limit_bytes=5 * GiB)
    validate(reply)
    assert reply["result"] == {
        "limit_bytes": 5 * GiB,
        "limit_source": "setting",
        "interrupt_at_bytes": None,
    }
    process = kernel.request("snapshot")["snapshot"]["process"]
    assert (process["limit_bytes"], process["limit_source"]) == (5 * GiB, "setting")
    # an absent key leaves the other setting alone
    armed = kernel.request("guard", interrupt_at_bytes=4 * GiB)["result"]
    assert armed["limit_bytes"] == 5 * GiB and armed["interrupt_at_bytes"] == 4 * GiB
    restored = kernel.request("guard", limit_bytes=None, interrupt_at_bytes=None)["result"]
    assert restored["limit_source"] != "setting" and restored["interrupt_at_bytes"] is None
    assert restored["limit_bytes"] == limit.detect()[0]


@pytest.mark.parametrize("value", [0, -1, 1.5, "1G", True])
def test_guard_refuses_bad_sizes(kernel, value):
    reply = kernel.request("guard", limit_bytes=value)
    assert reply["ok"] is False and "limit_bytes" in reply["error"]
    reply = kernel.request("guard", interrupt_at_bytes=value)
    assert reply["ok"] is False and "interrupt_at_bytes" in reply["error"]


def lv111(kernel, validate):
    snap = kernel.request("snapshot", threshold_bytes=10**6)
    validate(snap)
    return [f for f in snap["snapshot"]["findings"] if f["rule"] == "LV111"]


def test_lv111_warns_at_80_and_errs_at_90_percent_naming_the_largest(kernel, validate):
    kernel.execute("import numpy as np\nweights = np.ones(200 * 1000 * 1000 // 8)")
    rss = kernel.request("explain")["result"]["rss_bytes"]
    try:
        kernel.request("guard", limit_bytes=int(rss / 0.5))
        assert lv111(kernel, validate) == []
        kernel.request("guard", limit_bytes=int(rss / 0.85))
        (warning,) = lv111(kernel, validate)
        assert warning["severity"] == "warning"
        assert warning["variable"] == "weights"
        assert "weights" in warning["message"] and "limit" in warning["message"]
        assert warning["details"]["limit_source"] == "setting"
        kernel.request("guard", limit_bytes=int(rss / 0.95))
        (error,) = lv111(kernel, validate)
        assert error["severity"] == "error"
        assert error["details"]["largest"][0]["name"] == "weights"
    finally:
        kernel.request("guard", limit_bytes=None)
        kernel.execute("del weights")

"""The post-mortem record (protocol 1.2): a killed kernel, restarted, says why."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from kernel_client import START_TIMEOUT, Kernel

from memlens_kernel.features import postmortem

MB = 1_000_000


def record_file(kernel: Kernel) -> Path:
    return Path(kernel.km.connection_file + postmortem.SUFFIX)


def start_helper(kernel: Kernel) -> dict:
    reply = kernel.execute("%load_ext memlens_kernel\nimport numpy as np, time")
    assert reply["content"]["status"] == "ok", reply["content"]
    kernel.open_comm()
    hello = kernel.request("hello")
    assert hello["ok"], hello
    return hello


def kill_and_restart(kernel: Kernel) -> None:
    pid = int(kernel.user_expression("__import__('os').getpid()"))
    kill_running(kernel, pid)


def kill_running(kernel: Kernel, pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while kernel.km.is_alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not kernel.km.is_alive()
    kernel.km.restart_kernel(now=True)  # same kernel id, same connection file
    kernel.kc.wait_for_ready(timeout=START_TIMEOUT)


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def kernel(tmp_path):
    pytest.importorskip("jupyter_client")
    k = Kernel(tmp_path)
    try:
        yield k
    finally:
        k.close()


def test_a_killed_kernel_returns_its_postmortem_once(kernel, validate):
    hello = start_helper(kernel)
    assert hello["postmortem"] is None
    kernel.execute("weights = np.ones(300 * 10**6 // 8)\nsmall = list(range(10))")
    rss = kernel.request("explain")["result"]["rss_bytes"]
    limit = int(rss / 0.95)  # rss above 90% of the limit set through `guard`
    assert kernel.request("guard", limit_bytes=limit)["result"]["limit_source"] == "setting"
    path = record_file(kernel)
    assert path.exists() and path.stat().st_size <= postmortem.MAX_BYTES

    kill_and_restart(kernel)
    assert path.exists(), "a killed kernel leaves its record"
    hello = start_helper(kernel)
    validate(hello)
    record = hello["postmortem"]
    assert record is not None
    assert record["top"][0]["name"] == "weights"
    assert record["top"][0]["bytes"] >= 300 * MB
    assert record["limit_bytes"] == limit and record["limit_source"] == "setting"
    assert record["rss_bytes"] >= 0.9 * limit and record["likely_oom"] is True
    assert record["execution_count"] == 2
    assert not path.exists() or json.loads(path.read_text())["time"] > record["time"]
    again = kernel.request("hello")
    assert again["postmortem"] is None  # once


def test_the_record_names_a_dataframe_by_its_deep_size(kernel, validate):
    start_helper(kernel)
    kernel.execute(
        "import pandas as pd\n"
        "frame = pd.DataFrame({'a': np.ones(30 * 10**6), 'b': np.arange(30 * 10**6)})\n"
        "words = ['w' + str(i) for i in range(100_000)]"
    )
    # no explain or snapshot first: the record's sizes are the helper's own
    rss = int(kernel.user_expression("int(open('/proc/self/statm').read().split()[1]) * 4096"))
    kernel.request("guard", limit_bytes=int(rss / 0.8))  # above 70%, below 90%
    kill_and_restart(kernel)
    record = start_helper(kernel)["postmortem"]
    assert record["top"][0]["name"] == "frame"
    assert record["top"][0]["bytes"] >= 480 * MB
    assert record["likely_oom"] is False


def test_a_kernel_killed_while_a_cell_runs_above_70_percent(kernel, validate):
    start_helper(kernel)
    rss = kernel.request("explain")["result"]["rss_bytes"]
    limit = rss * 2
    kernel.request("guard", limit_bytes=limit)
    pid = int(kernel.user_expression("__import__('os').getpid()"))
    # grows to ~80% of the limit, then waits to be killed
    grow = int(0.8 * limit) - rss
    msg_id = kernel.kc.execute(f"hog = b'x' * {grow}\ntime.sleep(60)")
    path = record_file(kernel)

    def running_record() -> bool:
        try:
            return json.loads(path.read_text()).get("running") is True
        except (OSError, ValueError):
            return False

    assert wait_for(running_record), "no record while the cell ran above 70%"
    assert msg_id
    kill_running(kernel, pid)
    hello = start_helper(kernel)
    validate(hello)
    record = hello["postmortem"]
    assert record["running"] is True
    assert record["rss_bytes"] >= 0.7 * limit
    assert record["likely_oom"] is False  # below 90% of the limit
    assert record["execution_count"] == 2
    assert record["timeline"] and record["timeline"][-1]["rss_bytes"] >= 0.7 * limit


def test_a_clean_shutdown_or_user_restart_leaves_no_record(tmp_path):
    pytest.importorskip("jupyter_client")
    kernel = Kernel(tmp_path)
    stopped = False
    try:
        start_helper(kernel)
        kernel.execute("data = np.ones(10**6)")
        path = record_file(kernel)
        assert wait_for(path.exists)  # written after the cell
        kernel.km.restart_kernel(now=False)  # the user's restart: a clean exit
        kernel.kc.wait_for_ready(timeout=START_TIMEOUT)
        assert wait_for(lambda: not path.exists())
        assert start_helper(kernel)["postmortem"] is None
        kernel.execute("data = 1")
        assert wait_for(path.exists)
        kernel.kc.stop_channels()
        kernel.km.shutdown_kernel(now=False)
        stopped = True
        assert not path.exists()
    finally:
        if not stopped:
            kernel.close()


def test_the_record_stays_under_64_kib_and_is_written_atomically(tmp_path):
    path = tmp_path / ("kernel-x.json" + postmortem.SUFFIX)
    rec = postmortem.Recorder(str(path))
    huge = postmortem.make_record(
        rss=10**10,
        limit=10**10,
        source="cgroup",
        execution_count=5,
        cell_id="c" * 10_000,
        running=True,
        top=[{"name": "n" * 1000, "bytes": i} for i in range(10)],
        points=[{"time": float(i), "rss_bytes": i} for i in range(100_000)],
    )
    assert rec.write(huge)
    assert path.stat().st_size <= postmortem.MAX_BYTES
    back = json.loads(path.read_text())
    assert back["likely_oom"] is True and back["timeline"][-1]["rss_bytes"] == 99_999
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary left
    taken = postmortem.take(str(path))
    assert taken is not None and taken["rss_bytes"] == 10**10
    assert not path.exists()
    assert postmortem.take(str(path)) is None
    rec.close()
    assert not rec.write(huge)  # after a clean exit nothing is written


def test_an_unreadable_record_is_dropped(tmp_path):
    path = tmp_path / "bad.memlens-postmortem"
    path.write_text("{not json")
    assert postmortem.take(str(path)) is None
    assert not path.exists()


def test_records_of_kernels_that_are_gone_are_removed(tmp_path):
    own = tmp_path / ("kernel-a.json" + postmortem.SUFFIX)
    alive = tmp_path / ("kernel-b.json" + postmortem.SUFFIX)
    orphan = tmp_path / ("kernel-c.json" + postmortem.SUFFIX)
    (tmp_path / "kernel-a.json").write_text("{}")
    (tmp_path / "kernel-b.json").write_text("{}")
    for path in (own, alive, orphan):
        path.write_text("{}")
    assert postmortem.remove_orphans(str(own)) == 1
    assert own.exists() and alive.exists() and not orphan.exists()

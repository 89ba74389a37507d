"""The memory guard (protocol 1.2) through a real kernel."""

from __future__ import annotations

import threading
import time

import pytest
from kernel_client import Kernel

from memlens_kernel.features.guard import ABOVE_LEVEL_GROWTH, Guard, next_interval

pytest.importorskip("jupyter_client")
MB = 1_000_000
GROW = "grow = []\nwhile True:\n    grow.append(b'x' * n)\n"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    k = Kernel(tmp_path_factory.mktemp("guard"))
    try:
        assert k.execute("%load_ext memlens_kernel\nn = 100_000")["content"]["status"] == "ok"
        k.open_comm()
        assert k.request("hello")["ok"]
        yield k
    finally:
        k.close()


def current_rss(kernel: Kernel) -> int:
    return kernel.request("explain", budget_ms=50)["result"]["rss_bytes"]


def guard_events(kernel: Kernel):
    kernel.pump(lambda m: False, 0.5)
    return [e for e in kernel.events if e.get("event") == "guard"]


def test_a_growing_loop_is_interrupted_near_the_level_and_the_kernel_lives(kernel, validate):
    level = current_rss(kernel) + 200 * MB
    armed = kernel.request("guard", interrupt_at_bytes=level)
    validate(armed)
    assert armed["result"]["interrupt_at_bytes"] == level
    kernel.events.clear()
    t0 = time.monotonic()
    reply = kernel.execute(GROW, timeout=120)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert time.monotonic() - t0 < 60
    after = current_rss(kernel)  # the kernel still answers
    assert level <= after <= level + 150 * MB, (after - level) / MB
    (event,) = guard_events(kernel)
    validate(event)
    data = event["data"]
    assert data["interrupt_at_bytes"] == level
    assert level <= data["rss_bytes"] <= level + 150 * MB
    assert data["execution_count"] == reply["content"]["execution_count"]
    assert data["interrupted"] is True
    assert data["top"][0]["name"] == "grow"
    assert data["top"][0]["bytes"] >= 150 * MB  # deep size, not the list's header
    assert kernel.execute("x = 1 + 1")["content"]["status"] == "ok"
    kernel.execute("del grow")


def test_the_guard_interrupts_a_sleeping_cell_once(kernel):
    kernel.request("release_to_os")  # memory freed by earlier tests would be reused
    level = current_rss(kernel) + 100 * MB
    kernel.request("guard", interrupt_at_bytes=level)
    kernel.events.clear()
    t0 = time.monotonic()
    reply = kernel.execute("import time\nhog = b'x' * (300 * n * 10)\ntime.sleep(30)", timeout=60)
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert time.monotonic() - t0 < 10  # the signal ended the sleep
    assert len(guard_events(kernel)) == 1
    # disarmed: memory above the old level no longer interrupts
    kernel.request("guard", interrupt_at_bytes=None)
    assert kernel.execute("time.sleep(0.3)")["content"]["status"] == "ok"
    kernel.execute("del hog")


def test_disarmed_guard_lets_a_cell_grow(kernel):
    level = current_rss(kernel) + 50 * MB
    kernel.request("guard", interrupt_at_bytes=level)
    kernel.request("guard", interrupt_at_bytes=None)
    kernel.events.clear()
    reply = kernel.execute("grow = [b'x' * n for _ in range(1500)]")
    assert reply["content"]["status"] == "ok"
    assert guard_events(kernel) == []
    kernel.execute("del grow")


def test_check_interrupts_only_while_a_cell_runs():
    guard = Guard()
    guard.level = 100
    assert guard.check(500) is False  # no cell running
    caught = []

    def cell() -> None:
        guard.cell_started()
        try:
            while True:
                time.sleep(0.005)
        except KeyboardInterrupt:
            caught.append(True)
        finally:
            caught.append(guard.cell_ended())

    t = threading.Thread(target=cell)
    t.start()
    while guard.cell_thread is None:
        time.sleep(0.001)
    assert guard.check(50) is False  # below the level
    assert guard.check(150) is True
    assert guard.check(200) is False  # once per cell
    t.join(5)
    assert caught == [True, 150]


def test_a_cell_that_starts_above_the_level_is_interrupted_only_when_it_grows():
    guard = Guard()
    guard.level = 100
    guard.cell_started(rss=150)  # memory still high after an interrupted cell
    assert guard.cell_level == 150 + ABOVE_LEVEL_GROWTH
    assert guard.check(160) is False  # `del x` or a peek: left to run
    guard.cell_ended()
    guard.cell_started(rss=50)
    assert guard.cell_level == 100


def test_after_an_interrupt_the_next_cell_can_free_memory(kernel):
    kernel.request("release_to_os")
    level = current_rss(kernel) + 100 * MB
    kernel.request("guard", interrupt_at_bytes=level)
    kernel.events.clear()
    reply = kernel.execute("import time\nhog = b'x' * (300 * n * 10)\ntime.sleep(30)", timeout=60)
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    # memory is still above the level: `del hog` must run, not be interrupted
    assert kernel.execute("del hog")["content"]["status"] == "ok"
    assert len(guard_events(kernel)) == 1
    kernel.request("guard", interrupt_at_bytes=None)


def test_readings_come_faster_as_memory_nears_the_level():
    level = 10 * 10**9
    assert next_interval(0, level) == 0.1  # far below: every 100 ms
    assert next_interval(level - 80 * MB, level) == 0.01  # close: every 10 ms
    assert next_interval(level + 1, level) == 0.01
    mid = next_interval(level - 400 * MB, level)
    assert 0.01 < mid < 0.1

"""Cluster memory pieces without a cluster: the metrics split, LV110, the timeout."""

from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace

from memlens_kernel.features.clusters import cluster_memory, find_clients, worker_memory
from memlens_kernel.findings.cluster_rules import cluster_pressure

GiB = 2**30


def _info(process, managed, spilled_memory=0, disk=0, limit=GiB):
    return {
        "name": "w0",
        "memory_limit": limit,
        "metrics": {
            "memory": process,
            "managed_bytes": managed,
            "spilled_bytes": {"memory": spilled_memory, "disk": disk},
        },
    }


def test_worker_memory_splits_like_the_scheduler():
    w = worker_memory("tcp://a:1", _info(500, 300, spilled_memory=100, disk=90))
    assert w == {
        "address": "tcp://a:1",
        "name": "w0",
        "memory_bytes": 500,
        "managed_bytes": 200,
        "unmanaged_bytes": 300,
        "spilled_bytes": 90,
        "memory_limit": GiB,
    }
    # sizeof() may overestimate: managed never exceeds the process memory
    assert worker_memory("a", _info(100, 400))["managed_bytes"] == 100
    assert worker_memory("a", _info(100, 0, limit=0))["memory_limit"] is None
    assert worker_memory("a", {"metrics": None})["memory_bytes"] == 0


def _cluster(*workers):
    return [{"variable": "client", "scheduler": "tcp://s:1", "workers": list(workers)}]


def test_lv110_near_limit_or_spilling_only_with_limits():
    near = worker_memory("tcp://a:1", _info(int(0.85 * GiB), GiB // 2))
    calm = worker_memory("tcp://b:1", _info(GiB // 2, GiB // 4))
    spilling = worker_memory("tcp://c:1", _info(GiB // 2, GiB // 4, disk=10 * 2**20))
    unlimited = worker_memory("tcp://d:1", _info(50 * GiB, GiB, disk=GiB, limit=0))
    found = cluster_pressure(_cluster(near, calm, spilling, unlimited))
    assert [f["details"]["worker"] for f in found] == ["tcp://a:1", "tcp://c:1"]
    assert "85%" in found[0]["message"] and "unmanaged" in found[0]["message"]
    assert "spilled 10.0 MiB to disk" in found[1]["message"]
    assert all(f["rule"] == "LV110" and f["variable"] == "client" for f in found)


def test_find_clients_needs_distributed_already_imported(monkeypatch):
    import sys

    monkeypatch.delitem(sys.modules, "distributed", raising=False)
    assert find_clients([("client", object())]) == []

    class Client:
        pass

    class MyClient(Client):
        pass

    monkeypatch.setitem(sys.modules, "distributed", SimpleNamespace(Client=Client))
    c = MyClient()
    assert find_clients([("c", c), ("alias", c), ("x", 1)]) == [("c", c)]


def test_a_scheduler_that_does_not_answer_gives_an_error_in_time():
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:

        class Scheduler:
            address = "tcp://slow:1"

            async def identity(self, n_workers=-1):
                await asyncio.sleep(30)

        client = SimpleNamespace(
            status="running",
            asynchronous=False,
            loop=SimpleNamespace(asyncio_loop=loop),
            scheduler=Scheduler(),
            cluster=None,
        )
        t0 = time.perf_counter()
        entry = cluster_memory("client", client, 0.2)
        assert time.perf_counter() - t0 < 0.5
        assert "did not answer within 200 ms" in entry["error"]
        assert entry["workers"] == [] and entry["scheduler"] == "tcp://slow:1"
        closed = cluster_memory("c", SimpleNamespace(status="closed", scheduler=None), 0.2)
        assert "not connected" in closed["error"]
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)

"""Cluster memory: per-worker memory of each ``distributed.Client`` in the namespace.

The numbers are the scheduler's own (what its dashboard's worker memory bars
show): process memory, memory managed by dask, unmanaged memory, bytes spilled
to disk and each worker's memory limit. memlens asks the scheduler once per
snapshot with a timeout taken from the snapshot's budget, on the client's own
event loop thread, so a slow or dead scheduler gives an ``error`` for that
cluster and never blocks the kernel. Collections on the cluster (arrays,
dataframes, delayed objects, futures) are never touched: no compute, persist
or gather.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any, Dict, List, Optional, Tuple

from ..introspect import exc_message
from ..wire import Cluster, ClusterWorker

# The least time a scheduler gets to answer, even when sizing the variables
# used up the snapshot's budget: one local round trip takes a few ms.
MIN_WAIT_S = 0.05
# At most this many clients are asked per snapshot (one is the usual case).
MAX_CLIENTS = 4


def _client_class() -> Optional[type]:
    """``distributed.Client`` if the user already imported distributed."""
    mod = sys.modules.get("distributed")
    cls = getattr(mod, "Client", None) if mod is not None else None
    return cls if isinstance(cls, type) else None


def find_clients(items: List[Tuple[str, Any]]) -> List[Tuple[str, Any]]:
    """``(name, client)`` for each distinct ``distributed.Client`` (or subclass)."""
    cls = _client_class()
    if cls is None:
        return []
    out: List[Tuple[str, Any]] = []
    seen = set()
    for name, value in items:
        t = type(value)
        try:
            is_client = t is cls or issubclass(t, cls)
        except Exception:
            is_client = False
        if not is_client or id(value) in seen or name.startswith("_"):
            continue
        seen.add(id(value))
        out.append((name, value))
        if len(out) >= MAX_CLIENTS:
            break
    return out


def _ask_identity(client: Any, wait_s: float) -> Dict[str, Any]:
    """The scheduler's ``identity`` (all workers), or raise with a clear message."""
    status = getattr(client, "status", None)
    if status != "running":
        raise RuntimeError(f"the client is not connected (status {status!r})")
    if getattr(client, "asynchronous", False):
        # Its event loop is the kernel's own: waiting here would block it.
        cached = getattr(client, "_scheduler_identity", None)
        if isinstance(cached, dict) and cached.get("workers") is not None:
            return dict(cached)
        raise RuntimeError("asynchronous client: memlens cannot wait on the kernel's own loop")
    loop = getattr(getattr(client, "loop", None), "asyncio_loop", None)
    if loop is None or not loop.is_running() or loop is _running_loop():
        raise RuntimeError("the client's event loop is not running in its own thread")
    scheduler = client.scheduler
    # Since distributed 2025 identity lists 5 workers unless told otherwise;
    # older schedulers do not take the argument.
    update = getattr(type(client), "_update_scheduler_info", None)
    names = getattr(getattr(update, "__code__", None), "co_varnames", ())
    kwargs = {"n_workers": -1} if "n_workers" in names else {}

    async def ask() -> Dict[str, Any]:
        return await asyncio.wait_for(scheduler.identity(**kwargs), wait_s)

    future = asyncio.run_coroutine_threadsafe(ask(), loop)
    try:
        return future.result(timeout=wait_s + 0.01)
    except (TimeoutError, asyncio.TimeoutError):
        future.cancel()
        raise RuntimeError(f"the scheduler did not answer within {wait_s * 1000:.0f} ms") from None
    except Exception:
        future.cancel()
        raise


def _running_loop() -> Optional[asyncio.AbstractEventLoop]:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _int(value: object) -> int:
    return int(value) if isinstance(value, (int, float)) and value > 0 else 0


def _dict(value: object) -> Dict[str, object]:
    return value if isinstance(value, dict) else {}


def worker_memory(address: str, info: Dict[str, object]) -> ClusterWorker:
    """One worker's memory, split the way the scheduler splits it.

    ``managed_bytes`` in the heartbeat counts spilled keys too; the part still
    in memory is that minus ``spilled_bytes.memory``, capped by the process
    memory (sizeof estimates can exceed it). Unmanaged is the rest of the
    process memory; spilled is what sits on disk.
    """
    metrics = _dict(info.get("metrics"))
    spilled = _dict(metrics.get("spilled_bytes"))
    process = _int(metrics.get("memory"))
    managed = min(process, max(0, _int(metrics.get("managed_bytes")) - _int(spilled.get("memory"))))
    limit = _int(info.get("memory_limit"))
    return {
        "address": str(address),
        "name": str(info.get("name", address)),
        "memory_bytes": process,
        "managed_bytes": managed,
        "unmanaged_bytes": process - managed,
        "spilled_bytes": _int(spilled.get("disk")),
        "memory_limit": limit or None,
    }


def _dashboard(client: Any) -> Optional[str]:
    # LocalCluster and friends know their link without asking the scheduler;
    # the client's fallback path would block on a dead scheduler.
    try:
        link = client.cluster.dashboard_link
    except Exception:
        return None
    return link if isinstance(link, str) and link.startswith(("http://", "https://")) else None


def cluster_memory(name: str, client: Any, wait_s: float) -> Cluster:
    """The ``clusters`` entry for one client; ``error`` instead of workers on failure."""
    entry: Cluster = {
        "variable": name,
        "scheduler": None,
        "dashboard": None,
        "workers": [],
        "memory_bytes": 0,
        "memory_limit": None,
    }
    try:
        entry["scheduler"] = str(getattr(client.scheduler, "address", None) or "") or None
        entry["dashboard"] = _dashboard(client)
        identity = _ask_identity(client, wait_s)
        workers_info = identity.get("workers") or {}
        workers = [worker_memory(a, w) for a, w in workers_info.items() if isinstance(w, dict)]
    except Exception as exc:
        entry["error"] = exc_message(exc)
        return entry
    workers.sort(key=lambda w: w["address"])
    limits = [w["memory_limit"] for w in workers]
    entry["workers"] = workers
    entry["memory_bytes"] = sum(w["memory_bytes"] for w in workers)
    entry["memory_limit"] = sum(x for x in limits if x) if limits and all(limits) else None
    return entry


def collect_clusters(items: List[Tuple[str, Any]], deadline: float) -> List[Cluster]:
    """The snapshot's ``clusters``: one entry per client found, within the budget."""
    out: List[Cluster] = []
    for name, client in find_clients(items):
        wait_s = max(MIN_WAIT_S, deadline - time.perf_counter())
        out.append(cluster_memory(name, client, wait_s))
    return out


__all__ = ["cluster_memory", "collect_clusters", "find_clients", "worker_memory"]

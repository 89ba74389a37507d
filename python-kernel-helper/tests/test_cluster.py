"""Cluster memory through a real kernel holding a real dask LocalCluster."""

from __future__ import annotations

import json
import time

import pytest
from kernel_client import Kernel

pytest.importorskip("jupyter_client")
pytest.importorskip("distributed")

SETUP = """
import dask.array as da
from distributed import Client, LocalCluster, wait
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                       memory_limit="2GiB", dashboard_address="127.0.0.1:0")
client = Client(cluster)
x = da.random.random(25_000_000, chunks=2_500_000).persist()  # 200 MB
wait(x)
"""

TRUTH = """__import__('json').dumps({w: sum(client.nbytes(summary=False)[k]
    for k, ws in client.who_has(x).items() if w in ws)
    for w in client.scheduler_info()['workers']})"""


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    k = Kernel(tmp_path_factory.mktemp("cluster"), hide_installed_helper=False)
    try:
        reply = k.execute("%load_ext memlens_kernel\n" + SETUP, timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
        k.open_comm()
        yield k
    finally:
        k.execute("client.close(); cluster.close()", timeout=60)
        k.close()


def _clusters(kernel, budget_ms=2000):
    reply = kernel.request("snapshot", budget_ms=budget_ms, threshold_bytes=10**9)
    return reply, reply["snapshot"].get("clusters")


def test_workers_managed_bytes_and_limits(kernel, validate):
    truth = json.loads(kernel.user_expression(TRUTH).strip("'"))
    assert len(truth) == 2 and sum(truth.values()) == 200_000_000
    # managed bytes travel with the workers' heartbeats (about once a second)
    deadline = time.monotonic() + 20
    while True:
        reply, clusters = _clusters(kernel)
        validate(reply)
        assert clusters and clusters[0]["variable"] == "client"
        workers = {w["address"]: w for w in clusters[0]["workers"]}
        ok = set(workers) == set(truth) and all(
            abs(workers[a]["managed_bytes"] - truth[a]) <= 0.15 * truth[a] for a in truth
        )
        if ok or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert ok, (workers, truth)
    for w in workers.values():
        assert w["memory_limit"] == 2 * 2**30
        assert w["memory_bytes"] == w["managed_bytes"] + w["unmanaged_bytes"]
    c = clusters[0]
    assert c["memory_limit"] == 4 * 2**30
    assert c["scheduler"].startswith("tcp://") and c["dashboard"].startswith("http://")
    assert "error" not in c
    # no name was added to the user's namespace
    assert "memlens" not in kernel.user_expression("' '.join(get_ipython().user_ns)")


def test_lazy_collection_that_writes_a_file_is_never_computed(kernel, tmp_path):
    target = tmp_path / "written.csv"
    code = (
        "import dask.dataframe as dd, pandas as pd\n"
        "lazy_df = dd.from_pandas(pd.DataFrame({'a': range(100)}), npartitions=2)\n"
        f"lazy_write = lazy_df.to_csv({str(tmp_path / 'part-*.csv')!r}, compute=False)\n"
        "from dask import delayed\n"
        f"lazy_touch = delayed(lambda p: open(p, 'w').write('x'))({str(target)!r})\n"
        "lazy_future = None\n"
    )
    assert kernel.execute(code)["content"]["status"] == "ok"
    reply, clusters = _clusters(kernel)
    names = {v["name"] for v in reply["snapshot"]["variables"]}
    assert {"lazy_write", "lazy_touch"} <= names
    assert clusters
    time.sleep(0.5)
    assert not target.exists()
    assert not list(tmp_path.glob("part-*.csv"))


def test_dead_scheduler_gives_an_error_within_the_budget(kernel, validate):
    code = (
        "cluster2 = LocalCluster(n_workers=1, processes=False, dashboard_address=None)\n"
        "client2 = Client(cluster2)\n"
        "cluster2.close()\n"
    )
    assert kernel.execute(code, timeout=60)["content"]["status"] == "ok"
    t0 = time.monotonic()
    reply, clusters = _clusters(kernel, budget_ms=300)
    elapsed = time.monotonic() - t0
    validate(reply)
    by_var = {c["variable"]: c for c in clusters}
    assert by_var["client2"]["error"] and by_var["client2"]["workers"] == []
    assert "error" not in by_var["client"], by_var["client"]
    assert reply["snapshot"]["elapsed_ms"] < 300 + 100
    assert elapsed < 2.0
    kernel.execute("client2.close()", timeout=30)

"""The runner of ``memlens lint --execute`` (memlens_kernel.execute), with a real kernel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any, Dict, List

import pytest

import memlens_kernel
from memlens_kernel.bootstrap import module_sources
from memlens_kernel.execute.runner import Cell, Job, run

pytest.importorskip("nbclient")


def job(*sources: str, **overrides: Any) -> Job:
    fields: Dict[str, Any] = {
        "kernel": "python3",
        "cells": [Cell(i, s) for i, s in enumerate(sources)],
        "cwd": ".",
        "timeout": 60.0,
        "threshold_bytes": 50 * 2**20,
    }
    fields.update(overrides)
    return Job(**fields)


def events(j: Job) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    run(j, out.append)
    return out


def test_the_runner_never_goes_into_a_kernel_but_its_kernel_side_does():
    names = module_sources()
    assert not [n for n in names if n.startswith("memlens_kernel.execute")]
    assert "memlens_kernel.features.run_facts" in names


def test_a_malformed_job_is_refused():
    with pytest.raises(ValueError):
        Job.from_json({"kernel": "python3", "cells": [{"index": "0", "source": ""}]})
    with pytest.raises(ValueError):
        Job.from_json({"kernel": "k", "cells": [], "cwd": ".", "timeout": -1, "threshold_bytes": 1})
    ok = Job.from_json(
        {
            "kernel": "python3",
            "cells": [{"index": 2, "source": "x = 1"}],
            "cwd": "/tmp",
            "timeout": 5,
            "threshold_bytes": 10,
        }
    )
    assert ok.cells == [Cell(2, "x = 1")] and ok.timeout == 5.0


def test_an_unknown_kernel_is_a_clear_error_without_starting_anything():
    out = events(job("x = 1", kernel="no-such-kernel"))
    assert out == [
        {
            "event": "done",
            "error": "no kernel named 'no-such-kernel' (see `jupyter kernelspec list`; "
            "choose one with --kernel NAME)",
        }
    ]


def test_cells_report_their_memory_and_the_snapshot_comes_last():
    out = events(
        job(
            "import numpy as np\nbig = np.ones(6_250_000)",  # 50 MB
            "tmp = np.ones(12_500_000)\ndel tmp",  # a 100 MB spike, freed
            "n = 3",
        )
    )
    assert [e["event"] for e in out] == ["kernel", "cell", "cell", "cell", "snapshot", "done"]
    first, spike, last = out[1:4]
    assert [c["execution_count"] for c in (first, spike, last)] == [1, 2, 3]
    assert first["rss_bytes"] - first["rss_before_bytes"] > 45_000_000
    # the peak of the spike is seen although the array is gone at the end
    assert spike["peak_bytes"] - spike["rss_before_bytes"] > 90_000_000
    assert spike["rss_bytes"] < spike["peak_bytes"] - 80_000_000
    snapshot = out[4]["snapshot"]
    sizes = {v["name"]: v["size_bytes"] for v in snapshot["variables"]}
    assert sizes["big"] == pytest.approx(50_000_000, rel=0.01)
    assert sizes["n"] is not None and "tmp" not in sizes
    # the helper added no name of its own to the namespace
    assert set(sizes) == {"big", "n"}
    assert out[-1] == {"event": "done", "error": None}
    json.dumps(out)  # every event is JSON


def test_a_kernel_without_the_helper_gets_it_through_the_bootstrap(tmp_path, monkeypatch):
    # a python3 kernel that cannot import memlens_kernel: no site processing
    # (the editable install is a .pth file), site-packages on PYTHONPATH
    site = sysconfig.get_paths()["purelib"]
    spec = tmp_path / "kernels" / "bare"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    sys.executable,
                    "-S",
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "env": {"PYTHONPATH": site},
                "display_name": "bare",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    out = events(
        job(
            # raises (and stops the run) unless the bootstrap installed the helper
            "import sys\nassert sys.modules['memlens_kernel.state'].HELPER.bootstrapped\nfound = 1",
            "import numpy as np\narr = np.ones(1000)",
            kernel="bare",
        )
    )
    assert out[-1] == {"event": "done", "error": None}
    snapshot = next(e["snapshot"] for e in out if e["event"] == "snapshot")
    assert {v["name"] for v in snapshot["variables"]} == {"found", "arr"}
    assert [e["rss_bytes"] is not None for e in out if e["event"] == "cell"] == [True, True]


def test_a_python_without_nbclient_says_what_to_install():
    # -S: no site-packages, so no nbclient; the helper itself from its folder
    helper = str(Path(memlens_kernel.__file__).resolve().parents[1])
    done = subprocess.run(
        [sys.executable, "-S", "-m", "memlens_kernel.execute"],
        input=json.dumps(
            {"kernel": "python3", "cells": [], "cwd": ".", "timeout": 5, "threshold_bytes": 1}
        ),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": helper},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    (event,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert event["event"] == "done"
    assert event["error"].startswith(
        f"--execute needs nbclient and jupyter_client in {sys.executable}"
    )
    assert "pip install 'memlens-kernel[execute]'" in event["error"]


def test_cell_tags_are_honoured_as_nbconvert_does():
    out = events(
        job(
            cells=[
                Cell(0, "a = 1"),
                Cell(1, "import os\nos._exit(1)", ("skip-execution",)),
                Cell(2, "1 / 0", ("raises-exception",)),
                Cell(3, "b = a + 1"),
            ]
        )
    )
    assert out[-1] == {"event": "done", "error": None}
    cells = [e for e in out if e["event"] == "cell"]
    assert [(c["cell"], c["execution_count"]) for c in cells] == [(0, 1), (2, 2), (3, 3)]
    snapshot = next(e["snapshot"] for e in out if e["event"] == "snapshot")
    assert {v["name"] for v in snapshot["variables"]} == {"a", "b"}

"""Run cells top to bottom in a fresh kernel and report what each one cost.

Events, one JSON object per line, in this order:

- ``{"event": "kernel", "kernel": name, "display_name": str}`` once it runs;
- ``{"event": "cell", "cell", "execution_count", "duration_ms", "rss_bytes",
  "rss_before_bytes", "peak_bytes", "error"}`` per executed code cell
  (``cell`` is the index the job gave; memory from the helper's timeline);
- ``{"event": "snapshot", "snapshot": {...}}`` after the last cell, when
  every cell ran: the helper's snapshot payload (CONTRACTS §2);
- ``{"event": "done", "error": str | None}``, always last.

The cells arrive as text (the command line has read the file); nothing is
ever written back. The helper is loaded with the same bootstrap the editor
sends (an installed ``memlens_kernel`` in the kernel is used when present).
"""

from __future__ import annotations

import ast
import asyncio
import json
import signal
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..bootstrap import build_bootstrap_source

Event = Dict[str, Any]
Emit = Callable[[Event], None]

_SKIP_TAG = "skip-execution"
_LOAD_INSTALLED = "__import__('memlens_kernel').load_ipython_extension(get_ipython())"
_PROBE = "__import__('memlens_kernel.features.run_facts', fromlist=['_']).{call}"
_INSTALL_HINT = (
    "pip install 'memlens-kernel[execute]' (or point --python / MEMLENS_PYTHON at the "
    "Python that has Jupyter)"
)


@dataclass(frozen=True)
class Cell:
    """A code cell to run: its notebook index, source and ``metadata.tags``."""

    index: int
    source: str
    tags: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """What to run, as the command line sends it on stdin."""

    kernel: str
    cells: List[Cell]
    cwd: str
    timeout: Optional[float]
    threshold_bytes: int

    @staticmethod
    def from_json(data: Any) -> Job:
        """Check and convert the decoded JSON job (ValueError when malformed)."""
        if type(data) is not dict:
            raise ValueError("the job is not an object")
        cells = data["cells"]
        if type(cells) is not list or not all(
            type(c) is dict
            and type(c.get("index")) is int
            and type(c.get("source")) is str
            and type(c.get("tags", [])) is list
            and all(type(t) is str for t in c.get("tags", []))
            for c in cells
        ):
            raise ValueError("cells must be a list of {index: int, source: str, tags?: [str]}")
        timeout = data.get("timeout")
        if timeout is not None and (type(timeout) not in (int, float) or timeout <= 0):
            raise ValueError("timeout must be a positive number of seconds or null")
        kernel, cwd, threshold = data["kernel"], data["cwd"], data["threshold_bytes"]
        if type(kernel) is not str or type(cwd) is not str or type(threshold) is not int:
            raise ValueError("kernel and cwd must be strings, threshold_bytes an integer")
        return Job(
            kernel=kernel,
            cells=[Cell(c["index"], c["source"], tuple(c.get("tags", []))) for c in cells],
            cwd=cwd,
            timeout=None if timeout is None else float(timeout),
            threshold_bytes=threshold,
        )


def emit_line(event: Event) -> None:
    """Write one event as a JSON line on stdout."""
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def run(job: Job, emit: Emit) -> None:
    """Run ``job``; every outcome, failures included, ends with a ``done`` event."""
    try:
        error = asyncio.run(_run(job, emit))
    except Exception as failure:  # the kernel did not start, a channel broke...
        error = f"cannot run the notebook in kernel {job.kernel!r}: {_describe(failure)}"
    emit({"event": "done", "error": error})


class _Stop(Exception):
    """The run stops with this message as the file's error."""


async def _run(job: Job, emit: Emit) -> Optional[str]:
    try:
        import nbformat
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
        from nbclient import NotebookClient
    except ImportError as missing:
        return (
            f"--execute needs nbclient and jupyter_client in {sys.executable} ({missing}); "
            + _INSTALL_HINT
        )

    try:
        spec = KernelSpecManager().get_kernel_spec(job.kernel)
    except NoSuchKernel:
        return (
            f"no kernel named {job.kernel!r} (see `jupyter kernelspec list`; choose one "
            "with --kernel NAME)"
        )
    if (spec.language or "").lower() != "python":
        return (
            f"kernel {job.kernel!r} runs {spec.language or 'an unknown language'}; "
            "memlens --execute needs a Python (IPython) kernel"
        )

    # as nbconvert: `skip-execution` cells are not run, `raises-exception`
    # cells may raise (nbclient reads the tag)
    cells = [c for c in job.cells if _SKIP_TAG not in c.tags]
    # nbformat's constructors are untyped; the notebook exists only in memory
    v4: Any = nbformat.v4
    nb = v4.new_notebook(
        cells=[v4.new_code_cell(c.source, metadata={"tags": list(c.tags)}) for c in cells]
    )
    client = NotebookClient(
        nb,
        timeout=job.timeout,
        kernel_name=job.kernel,
        resources={"metadata": {"path": job.cwd}},
    )
    async with client.async_setup_kernel():
        emit({"event": "kernel", "kernel": job.kernel, "display_name": spec.display_name})
        try:
            await _load_helper(client)
            for position, cell in enumerate(cells):
                started = time.perf_counter()
                outcome = await _execute(client, nb.cells[position], position, cell.index, job)
                wall_ms = (time.perf_counter() - started) * 1000
                count = nb.cells[position].get("execution_count")
                facts = await _probe(client, "last_cell()") if outcome.kernel_idle else None
                emit(_cell_event(cell.index, count, wall_ms, facts, outcome.error))
                if outcome.stop is not None:
                    if not outcome.kernel_idle:
                        # a busy or dead kernel: no graceful shutdown to wait for
                        client.shutdown_kernel = "immediate"
                    return outcome.stop
            snapshot = await _probe(client, f"snapshot({int(job.threshold_bytes)})")
            emit({"event": "snapshot", "snapshot": snapshot})
        except _Stop as stopped:
            return str(stopped)
    return None


@dataclass(frozen=True)
class _Outcome:
    """How one cell ended: its error, why the run stops, whether the kernel can answer."""

    error: Optional[str] = None
    stop: Optional[str] = None
    kernel_idle: bool = True


async def _execute(client: Any, node: Any, position: int, index: int, job: Job) -> _Outcome:
    """Run one cell through nbclient; the three ways it fails become an outcome."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        await client.async_execute_cell(node, position)
    except CellExecutionError as raised:
        error = f"{raised.ename}: {raised.evalue}"
        return _Outcome(error, f"cell {index + 1} raised {error}")
    except CellTimeoutError:
        limit = f"{job.timeout or 0:g} s"
        stop = f"cell {index + 1} timed out: not done within {limit} (--timeout)"
        return _Outcome(f"timed out after {limit}", stop, kernel_idle=False)
    except DeadKernelError:
        stop = f"the kernel died while running cell {index + 1}{_exit_reason(client)}"
        return _Outcome("the kernel died", stop, kernel_idle=False)
    return _Outcome()


def _cell_event(index: int, count: Any, wall_ms: float, facts: Any, error: Optional[str]) -> Event:
    """One cell's facts; the helper's timeline entry when it is this cell's."""
    entry = facts if type(facts) is dict and facts.get("execution_count") == count else {}
    duration = entry.get("duration_ms")
    return {
        "event": "cell",
        "cell": index,
        "execution_count": count if type(count) is int else None,
        "duration_ms": duration if type(duration) in (int, float) else round(wall_ms, 3),
        "rss_bytes": entry.get("rss_after"),
        "rss_before_bytes": entry.get("rss_before"),
        "peak_bytes": entry.get("peak_rss"),
        "error": error,
    }


async def _load_helper(client: Any) -> None:
    """Load the helper silently; a failure stops the run.

    The kernel's installed ``memlens_kernel`` first (a small request); the
    bootstrap, which embeds the helper's source, only when it has none.
    """
    content = (await _request(client, _LOAD_INSTALLED, {}))["content"]
    if content.get("status") != "ok" and content.get("ename") == "ModuleNotFoundError":
        content = (await _request(client, build_bootstrap_source(), {}))["content"]
    if content.get("status") != "ok":
        raise _Stop(
            "cannot load the memlens helper in the kernel: "
            f"{content.get('ename')}: {content.get('evalue')}"
        )


async def _probe(client: Any, call: str) -> Any:
    """Evaluate a ``run_facts`` function in the kernel and decode its JSON."""
    reply = await _request(client, "", {"memlens": _PROBE.format(call=call)})
    value = reply["content"].get("user_expressions", {}).get("memlens", {})
    if value.get("status") != "ok":
        raise _Stop(
            "the memlens helper in the kernel could not report "
            f"({value.get('ename')}: {value.get('evalue')}); is it older than this command?"
        )
    return json.loads(ast.literal_eval(value["data"]["text/plain"]))


async def _request(client: Any, code: str, expressions: Dict[str, str]) -> Dict[str, Any]:
    """A silent execute request (no history, no hooks, no output kept)."""
    msg_id = client.kc.execute(code, silent=True, store_history=False, user_expressions=expressions)
    reply = await client.async_wait_for_reply(msg_id)
    if reply is None:
        raise _Stop("the kernel did not answer a memlens request")
    result: Dict[str, Any] = reply
    return result


def _exit_reason(client: Any) -> str:
    """`` (killed by SIGKILL ...)`` or `` (exit status N)`` when the process tells."""
    process = getattr(getattr(getattr(client, "km", None), "provisioner", None), "process", None)
    code = process.poll() if process is not None else None
    if type(code) is not int:
        return ""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = ", often the out-of-memory killer" if name == "SIGKILL" else ""
        return f" (killed by {name}{hint})"
    return f" (exit status {code})"


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__

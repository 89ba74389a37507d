"""What ``memlens lint --execute`` reads from the kernel between cells.

The runner (``memlens_kernel.execute``, outside the kernel) evaluates these
functions as ``user_expressions`` of a silent request: nothing is bound in
the user namespace, no history is stored, no per-cell hook fires. Each
returns one line of JSON text (IPython shows a one-line ``str`` as its
``repr``, which the runner reads back).
"""

from __future__ import annotations

import json

from .. import state
from ..findings import DEFAULT_THRESHOLD_BYTES
from ..snapshot.namespace import inspect_namespace

# An executed lint wants the whole namespace sized, not a 200 ms glimpse.
SNAPSHOT_BUDGET_MS = 30_000.0


def last_cell() -> str:
    """The timeline entry of the last user cell as JSON (``null`` when none)."""
    entries = state.timeline().entries
    return json.dumps(entries[-1] if entries else None)


def snapshot(threshold_bytes: int = DEFAULT_THRESHOLD_BYTES) -> str:
    """A full snapshot of the shell's namespace (the comm's payload) as JSON."""
    shell = state.shell()
    ns = getattr(shell, "user_ns", None) if shell is not None else None
    if type(ns) is not dict:
        return json.dumps({"error": "no IPython shell: the helper is not loaded"})
    found = inspect_namespace(
        ns, budget_ms=SNAPSHOT_BUDGET_MS, threshold_bytes=threshold_bytes, shell=shell
    )
    return json.dumps(found, default=str)

"""``%%memlens_profile``: profile the cell body and print a per-line table.

The body is transformed like any cell (line magics and ``!`` escapes keep
their line), compiled under its own filename and run in the user namespace;
line numbers in the table and the event count the ``%%memlens_profile``
line as line 1, like the editor.
"""

from __future__ import annotations

import itertools
from typing import Any, Dict

from .. import state
from ..findings.base import fmt_bytes
from .arming import run_session
from .session import ProfileSession

_runs = itertools.count(1)


def format_table(data: Dict[str, Any], source: str) -> str:
    """Plain-text table: line, net, peak, count, source."""
    rows = source.splitlines()
    out = [f"{'line':>5}  {'net':>12}  {'peak':>12}  {'count':>6}  source"]
    for entry in data["lines"]:
        line = entry["line"]
        text = rows[line - 1].strip() if 0 < line <= len(rows) else ""
        out.append(
            f"{line:>5}  {'+' if entry['net_bytes'] > 0 else ''}{fmt_bytes(entry['net_bytes']):>11}"
            f"  {fmt_bytes(entry['peak_bytes']):>12}  {entry['count']:>6}  {text}"
        )
    if not data["lines"]:
        out.append("  (no line allocated more than 1 KiB)")
    out.append(
        f"cell: net {fmt_bytes(data['net_bytes'])}, peak {fmt_bytes(data['peak_bytes'])}, "
        f"{data['duration_ms']:.1f} ms"
    )
    for note in data.get("notes", []):
        out.append(f"note: {note}")
    return "\n".join(out)


def memlens_profile(shell: Any, line: str, cell: str) -> None:
    """Run ``cell`` in the user namespace with per-line tracing; print the table."""
    transformed = shell.transform_cell(cell)
    filename = f"<memlens-profile-{next(_runs)}>"
    code = compile(transformed, filename, "exec")
    session = ProfileSession(filename=filename, line_offset=1)
    session.start()
    try:
        exec(code, shell.user_ns)
    finally:
        running = state.timeline().running
        cell_id = running["cell_id"] if running is not None else None
        data = run_session(session, cell_id, getattr(shell, "execution_count", None))
        print(format_table(data, "%%memlens_profile\n" + cell))


def register(shell: Any) -> None:
    """Register the cell magic on ``shell`` (replaces an earlier one)."""

    def _magic(line: str, cell: str) -> None:
        memlens_profile(shell, line, cell)

    _magic.__doc__ = memlens_profile.__doc__
    shell.register_magic_function(_magic, magic_kind="cell", magic_name="memlens_profile")

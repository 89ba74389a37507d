"""``%%memlens_profile``: profile the cell body and print a per-line table.

The body is transformed like any cell (line magics and ``!`` escapes keep
their line), compiled under its own filename and run in the user namespace;
line numbers in the table and the event count the ``%%memlens_profile``
line as line 1, like the editor.
"""

from __future__ import annotations

import ast
import itertools
from typing import Any, Dict

from .. import state
from ..findings.base import fmt_bytes
from .arming import DEFAULT_METHOD, METHODS, new_session, run_session
from .statements import add_marks


class UsageError(ValueError):
    """Bad magic arguments (IPython shows the message)."""


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
        f"{data['duration_ms']:.1f} ms ({data['method']})"
    )
    for note in data.get("notes", []):
        out.append(f"note: {note}")
    return "\n".join(out)


def parse_method(line: str) -> str:
    """The method named by the magic's arguments (``--sampled``)."""
    args = line.split()
    method = DEFAULT_METHOD
    for i, arg in enumerate(args):
        if arg == "--sampled":
            method = "sampled"
        elif arg in ("--exact", "--tracemalloc"):
            method = "tracemalloc"
        elif arg.startswith("--method="):
            method = arg.split("=", 1)[1]
        elif arg == "--method" and i + 1 < len(args):
            method = args[i + 1]
        elif arg.startswith("-") and args[i - 1 : i] != ["--method"]:
            raise UsageError(f"%%memlens_profile: unknown option {arg} (use --sampled)")
    if method not in METHODS:
        raise UsageError(f"%%memlens_profile: method must be one of {', '.join(METHODS)}")
    return method


def memlens_profile(shell: Any, line: str, cell: str) -> None:
    """Run ``cell`` in the user namespace with a per-line memory profile; print the table.

    ``%%memlens_profile`` traces allocations (exact); ``%%memlens_profile
    --sampled`` samples resident memory instead (coarse, nearly free).
    """
    method = parse_method(line)
    transformed = shell.transform_cell(cell)
    filename = f"<memlens-profile-{next(_runs)}>"
    tree = ast.parse(transformed, filename)
    session = new_session(method, filename=filename, line_offset=1, tree=tree)
    code = compile(add_marks(tree), filename, "exec")
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

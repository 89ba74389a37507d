"""The helper's structure: no import cycles, one live rule registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from memlens_kernel import findings

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def test_no_import_cycles():
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "check_imports.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cycle_checker_sees_a_deferred_import_cycle(tmp_path, monkeypatch):
    sys.path.insert(0, str(SCRIPTS))
    try:
        import check_imports
    finally:
        sys.path.remove(str(SCRIPTS))
    pkg = tmp_path / "memlens_kernel"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .a import x\n")
    (pkg / "a.py").write_text("x = 1\ndef f():\n    from .sub import b\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text("from .. import a\n")
    graph = check_imports.edges(check_imports.module_names(pkg))
    found = check_imports.cycles(graph)
    assert found and set(found[0]) == {"memlens_kernel.a", "memlens_kernel.sub.b"}


def test_live_rules_come_from_the_registry():
    ids = [rule.id for rule in findings.RULES]
    assert tuple(ids) == findings.LIVE_RULES
    assert ids[:10] == [f"LV1{n:02d}" for n in range(1, 11)]  # more may follow
    assert ids == sorted(set(ids))

"""The baseline: what the interpreter and its imported libraries take.

Three measured figures, none of which needs a user object:

- ``at_start``: the anonymous (heap) resident memory when the helper was
  loaded: the interpreter, IPython, ipykernel and what was imported before;
- ``libraries``: file-backed resident pages now (``RssFile``: the code and
  read-only data of every shared library and extension module loaded, which
  grows as modules are imported);
- ``imports``: for each cell with an ``import`` statement that loaded new
  modules, the heap growth of that cell less the growth of the user's arrays
  and builtin objects in it (their constant-time sizes, ``topvars.scan``).
  Modules a library loads lazily later (pandas' submodules on first use)
  are not counted: the cell's growth is mostly its data then. Other data an
  importing cell makes (a DataFrame read from a file) is not told apart and
  overstates it; ``explain`` caps the baseline to what the variables and
  hidden objects leave of the resident size.

``at_start`` leaves out the user's arrays and builtin objects already in the
namespace when the helper loads late (injected into a running kernel).

Elsewhere than Linux (no ``/proc/self/status``) ``at_start`` is the whole
resident size at load and ``libraries`` is 0.
"""

from __future__ import annotations

import re
import sys
from typing import Any, Dict, Optional

from .. import facts


def anon_bytes() -> Optional[int]:
    """Anonymous resident memory (``RssAnon``), else the whole RSS."""
    value = facts.status_bytes(b"RssAnon:")
    return value if value is not None else facts.rss_bytes()


def file_bytes() -> int:
    """File-backed resident memory (``RssFile``): loaded libraries' pages."""
    return facts.status_bytes(b"RssFile:") or 0


_IMPORT = re.compile(r"^\s*(import|from)\s+[\w.]", re.MULTILINE)


def imports_in(source: object) -> bool:
    """True when a cell's source has an ``import`` or ``from ... import`` line."""
    return type(source) is str and _IMPORT.search(source) is not None


class Baseline:
    """Measured at load and at the end of each cell that imported modules."""

    def __init__(self, data_bytes: int = 0) -> None:
        self.at_start = max((anon_bytes() or 0) - data_bytes, 0)
        self.imports = 0
        self._modules = len(sys.modules)
        self._anon_before: Optional[int] = None

    def pre_run_cell(self, info: Any = None) -> None:
        """Remember the module count and heap size before a cell that imports."""
        if not imports_in(getattr(info, "raw_cell", None)):
            self._anon_before = None
            return
        self._modules = len(sys.modules)
        self._anon_before = anon_bytes()

    def post_run_cell(self, result: Any = None, data_growth: int = 0) -> None:
        """A cell that imported modules adds its heap growth, less ``data_growth``
        (what its variables grew by), to ``imports``."""
        before, self._anon_before = self._anon_before, None
        if before is None or len(sys.modules) <= self._modules:
            return
        now = anon_bytes()
        if now is not None and now - before > data_growth:
            self.imports += now - before - max(data_growth, 0)

    def parts(self) -> Dict[str, int]:
        """``{"at_start", "libraries", "imports"}`` in bytes."""
        return {"at_start": self.at_start, "libraries": file_bytes(), "imports": self.imports}

    def total(self) -> int:
        """The baseline's bytes before ``explain`` caps it."""
        return sum(self.parts().values())

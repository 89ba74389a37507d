"""Who keeps an object alive: cheap identity checks, no heap-wide scans.

Holders are the places IPython and the process keep references that a user
does not see as variables: the output cache (``Out[n]``, ``_``, ``__``,
``___``, ``_n``), the last exception (``sys.last_*`` and the shell's
traceback holder, whose frames keep locals alive), and pyplot's figures.
"""

from __future__ import annotations

import gc
import re
import sys
import types
from typing import Any, Dict, List, Optional

from ..introspect import Namespace, loaded_attr, type_qualname

OUTPUT_NAME = re.compile(r"^(_|__|___|_\d+)$")
INPUT_NAME = re.compile(r"^(_i|_ii|_iii|_i\d+)$")
IPYTHON_NAMES = frozenset(
    {
        "In",
        "Out",
        "_ih",
        "_oh",
        "_dh",
        "get_ipython",
        "exit",
        "quit",
        "__builtins__",
        "__builtin__",
        "__name__",
        "__doc__",
        "__spec__",
        "__loader__",
        "__package__",
    }
)
_SMALL_CONTAINER = 100


def is_ipython_name(name: str) -> bool:
    """IPython's own names: never reported as variables."""
    if name in IPYTHON_NAMES:
        return True
    if not name.startswith("_"):
        return False
    return bool(OUTPUT_NAME.match(name) or INPUT_NAME.match(name))


class Holders(Dict[int, List[str]]):
    """id(object) -> labels; ``objects`` keeps the objects for this snapshot only."""

    def __init__(self) -> None:
        super().__init__()
        self.objects: Dict[int, object] = {}

    def release(self) -> None:
        """Drop the references to held objects."""
        self.objects.clear()
        self.clear()


def _add(holders: Holders, obj: Any, label: str) -> None:
    lst = holders.setdefault(id(obj), [])
    holders.objects[id(obj)] = obj
    if label not in lst:
        lst.append(label)


def output_cache_holders(ns: Namespace, holders: Holders) -> None:
    """``Out[n]`` entries (and the items of a displayed tuple/list)."""
    out = ns.get("Out")
    if type(out) is not dict:
        return
    for key, value in list(dict.items(out)):
        label = f"Out[{key}]" if type(key) is int else "Out"
        _add(holders, value, label)
        if type(value) in (tuple, list) and len(value) <= _SMALL_CONTAINER:
            for item in value:
                _add(holders, item, label)


def hidden_ns_holders(shell: Any, holders: Holders) -> None:
    """``_n`` names IPython mirrors into ``user_ns_hidden``."""
    hidden = getattr(shell, "user_ns_hidden", None) if shell is not None else None
    if type(hidden) is not dict:
        return
    for name, value in list(dict.items(hidden)):
        if type(name) is str and OUTPUT_NAME.match(name) and type(value) is not str:
            _add(holders, value, name)


def last_result_holder(shell: Any, holders: Holders) -> None:
    """IPython keeps the last displayed value in ``last_execution_result.result``."""
    last = getattr(shell, "last_execution_result", None) if shell is not None else None
    value = getattr(last, "result", None) if last is not None else None
    if value is not None:
        _add(holders, value, "last execution result")


def exception_holders(shell: Any, holders: Holders) -> None:
    """The last exception, its traceback frames' locals, the shell's ``tb``."""
    tbs = []
    excs = [(f"sys.{attr}", getattr(sys, attr, None)) for attr in ("last_value", "last_exc")]
    last = getattr(shell, "last_execution_result", None) if shell is not None else None
    excs.append(("last execution error", getattr(last, "error_in_exec", None)))
    for label, value in excs:
        if value is None or not issubclass(type(value), BaseException):
            continue
        _add(holders, value, label)
        exc_tb = BaseException.__dict__["__traceback__"].__get__(value)
        if type(exc_tb) is types.TracebackType:
            tbs.append((label, exc_tb))
    last_tb = getattr(sys, "last_traceback", None)
    if type(last_tb) is types.TracebackType:
        tbs.append(("sys.last_traceback", last_tb))
    itb = getattr(shell, "InteractiveTB", None) if shell is not None else None
    shell_tb = getattr(itb, "tb", None) if itb is not None else None
    if type(shell_tb) is types.TracebackType:
        tbs.append(("InteractiveTB.tb", shell_tb))
    seen = set()
    for _label, tb in tbs:
        depth = 0
        while type(tb) is types.TracebackType and depth < 200:
            frame = tb.tb_frame
            depth += 1
            if id(frame) not in seen:
                seen.add(id(frame))
                name = type_qualname(type(frame))
                code = frame.f_code
                label = f"last exception (frame {code.co_name})" if name == "frame" else "error"
                # tp_traverse yields the frame's locals without building f_locals;
                # its globals and builtins live on without the traceback
                skip = (id(frame.f_globals), id(frame.f_builtins))
                for ref in gc.get_referents(frame):
                    if (
                        type(ref) not in (types.FrameType, types.FunctionType, types.CodeType)
                        and id(ref) not in skip
                    ):
                        _add(holders, ref, label)
            tb = tb.tb_next  # type: ignore[assignment]  # the loop checks the type


def figure_holders(holders: Holders) -> int:
    """Open pyplot figures (only when pyplot is already imported)."""
    gcf = loaded_attr("matplotlib._pylab_helpers", "Gcf")
    if gcf is None:
        return 0
    try:
        figs = dict(gcf.figs)
    except Exception:
        return 0
    for num, manager in figs.items():
        canvas = getattr(manager, "canvas", None)
        figure = getattr(canvas, "figure", None)
        if figure is not None:
            _add(holders, figure, f"pyplot figure {num}")
    return len(figs)


def collect_holders(ns: Namespace, shell: Optional[Any]) -> Holders:
    """id(object) -> holder labels that are not user variables."""
    holders = Holders()
    for fn in (
        lambda: output_cache_holders(ns, holders),
        lambda: hidden_ns_holders(shell, holders),
        lambda: exception_holders(shell, holders),
        lambda: figure_holders(holders),
    ):
        try:
            fn()
        except Exception:
            continue
    return holders

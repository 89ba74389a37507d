"""Arming by cell id and the IPython hooks that run a profile session.

Armed ids live in this process only: a kernel restart forgets them (the
frontend is told by the restart itself). An id that never runs stays armed
until it does or until the kernel restarts; arming it again is harmless.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Optional, Type, Union

from .sampled import SampledSession
from .session import ProfileSession
from .statements import MarkTransformer

log = logging.getLogger("memlens_kernel")

MAX_CELL_ID = 256
# "tracemalloc": exact (allocation tracing); "sampled": resident memory
# sampled by a thread, no allocation hook.
METHODS: Dict[str, Type[Union[ProfileSession, SampledSession]]] = {
    "tracemalloc": ProfileSession,
    "sampled": SampledSession,
}
DEFAULT_METHOD = "tracemalloc"
# armed cell id -> method
ARMED: Dict[str, str] = {}
_current: List[Optional[Union[ProfileSession, SampledSession]]] = [None]
_transformer: List[Optional[MarkTransformer]] = [None]
_running_id: List[Optional[str]] = [None]
# Called with the finished ``profile`` event data (the comm broadcast).
LISTENERS: List[Callable[[Dict[str, Any]], None]] = []


def arm(cell_id: Any, method: Any = DEFAULT_METHOD) -> Dict[str, Any]:
    """Arm the next run of ``cell_id``; raises ``ValueError`` on a bad id or method.

    Arming an armed id again replaces its method.
    """
    if type(cell_id) is not str or not cell_id or len(cell_id) > MAX_CELL_ID:
        raise ValueError(f"`cell_id` must be a non-empty string of at most {MAX_CELL_ID} chars")
    if type(method) is not str or method not in METHODS:
        raise ValueError(f"`method` must be one of {', '.join(METHODS)}")
    already = cell_id in ARMED
    ARMED[cell_id] = method
    return {"cell_id": cell_id, "armed": True, "already_armed": already, "method": method}


def new_session(
    method: str, filename: Optional[str] = None, line_offset: int = 0, tree: Any = None
) -> Union[ProfileSession, SampledSession]:
    """A session of ``method`` (see ``METHODS``)."""
    return METHODS[method](filename=filename, line_offset=line_offset, tree=tree)


def _leading_blank_lines(raw: str, shell: Any) -> int:
    """Lines IPython drops before the first code line (it renumbers the rest)."""
    try:
        transformed = shell.transform_cell(raw)
    except Exception:
        return 0
    raw_lines = raw.splitlines()
    blank = 0
    for text in raw_lines:
        if text.strip():
            break
        blank += 1
    first = transformed.splitlines()[0] if transformed.splitlines() else ""
    return blank if blank and first.strip() else 0


def pre_run_cell(info: Any, shell: Any) -> None:
    """Start a session if this run's cell id is armed (O(1) when not)."""
    _stop_stale()
    if not ARMED:
        return
    cell_id = getattr(info, "cell_id", None)
    if cell_id not in ARMED:
        return
    method = ARMED.pop(cell_id)
    raw = getattr(info, "raw_cell", "") or ""
    session = new_session(method, line_offset=_leading_blank_lines(raw, shell))
    _running_id[0] = cell_id
    _current[0] = session
    transformers = getattr(shell, "ast_transformers", None)
    if type(transformers) is list:
        # marks the cell's statements when IPython compiles it (once)
        transformer = MarkTransformer(shell, session.set_tree)
        transformers.append(transformer)
        _transformer[0] = transformer
    session.start()


def _stop_stale() -> None:
    transformer, _transformer[0] = _transformer[0], None
    if transformer is not None:
        transformer.remove()
    stale = _current[0]
    if stale is not None:  # a run whose post hook never came: stop it now
        _current[0] = None
        stale.finish()


def run_session(
    session: Union[ProfileSession, SampledSession], cell_id: Optional[str], count: Any
) -> Dict[str, Any]:
    """Finish ``session`` and broadcast its event data; returns the data."""
    data = session.finish()
    data = {"cell_id": cell_id, "execution_count": count if type(count) is int else None, **data}
    for listener in list(LISTENERS):
        try:
            listener(data)
        except Exception:
            log.exception("memlens: a profile listener failed")
    return data


def post_run_cell(result: Any) -> None:
    """Stop the running session (also after an exception or interrupt)."""
    transformer, _transformer[0] = _transformer[0], None
    if transformer is not None:
        transformer.remove()
    session = _current[0]
    if session is None:
        return
    _current[0] = None
    cell_id, _running_id[0] = _running_id[0], None
    run_session(session, cell_id, getattr(result, "execution_count", None))


def reset() -> None:
    """Forget armed ids and stop any session (extension unload)."""
    ARMED.clear()
    _stop_stale()

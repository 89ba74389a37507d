"""``inspect_namespace``: the snapshot payload the comm sends."""

from __future__ import annotations

import gc
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .. import facts, state
from ..features.clusters import collect_clusters
from ..findings import DEFAULT_THRESHOLD_BYTES, FindingContext, run_findings
from ..findings.base import OBJECTS_MIN_BYTES
from ..introspect import Namespace, current_shell, exc_message, public_type_name
from ..sizing import Engine
from ..sizing.kinds import SKIP
from ..wire import Finding, Hidden, Snapshot, TimelineEntry
from .first_names import FirstNames
from .holders import OUTPUT_NAME, Holders, collect_holders, is_ipython_name
from .passes import SnapshotSession
from .records import Recorder

HIDDEN_MIN_BYTES = 64 * 1024
HIDDEN_MAX = 20
SIZING_SHARE = 0.85  # of the budget; the rest is for holders, findings and cleanup


def _items(ns: Namespace) -> List[Tuple[str, Any]]:
    # dict.items in C is atomic under the GIL; retry if a running cell
    # resized the dict between our calls.
    for _ in range(5):
        try:
            return [(k, v) for k, v in dict.items(ns) if type(k) is str]
        except RuntimeError:
            continue
    return []


def inspect_namespace(
    ns: Namespace,
    *,
    budget_ms: float = 200.0,
    threshold_bytes: int = DEFAULT_THRESHOLD_BYTES,
    shell: Optional[Any] = None,
    findings: bool = True,
) -> Snapshot:
    """Deep sizes and holders of every user variable in ``ns`` (a full snapshot).

    Never raises, never runs user code, never imports a library, holds no
    reference to user objects after returning. Past ``budget_ms`` the
    remaining names are listed with ``pending: true`` and ``complete`` is false.
    """
    return session_snapshot(
        ns,
        budget_ms=budget_ms,
        threshold_bytes=threshold_bytes,
        shell=shell,
        findings=findings,
        timeline=list(state.timeline().entries),
    )


def session_snapshot(
    ns: Namespace,
    *,
    budget_ms: float = 200.0,
    threshold_bytes: int = DEFAULT_THRESHOLD_BYTES,
    shell: Optional[Any] = None,
    findings: bool = True,
    session: Optional[SnapshotSession] = None,
    since: Optional[int] = None,
    timeline: Sequence[TimelineEntry] = (),
) -> Snapshot:
    """``inspect_namespace`` for one comm: continues the comm's pass, numbers
    the reply and answers a delta against ``since`` (see ``passes``).
    ``timeline`` is the per-cell history LV109 reads."""
    if session is None:
        return _guarded(ns, budget_ms, threshold_bytes, shell, findings, None, timeline)
    with session.lock:
        snap = _guarded(ns, budget_ms, threshold_bytes, shell, findings, session, timeline)
        return session.finish(snap, since)


def sizes_snapshot(
    ns: Namespace,
    *,
    budget_ms: float,
    shell: Optional[Any],
    session: Optional[SnapshotSession],
) -> Tuple[Snapshot, int]:
    """A snapshot without findings that continues ``session``'s pass (its sizes
    are reused) but is not numbered: the comm's next ``snapshot`` delta is
    still against the last ``snapshot`` reply. For ``explain``: also the bytes
    of the hidden objects counted once (one may hold another: a traceback
    frame's locals and the array in them) and apart from the variables'."""
    hidden = [0.0]
    args = (ns, budget_ms, DEFAULT_THRESHOLD_BYTES, shell, False)
    if session is None:
        snap = _guarded(*args, None, (), hidden)
    else:
        with session.lock:
            snap = _guarded(*args, session, (), hidden)
    return snap, round(hidden[0])


def _guarded(
    ns: Namespace,
    budget_ms: float,
    threshold_bytes: int,
    shell: Optional[Any],
    findings: bool,
    session: Optional[SnapshotSession],
    timeline: Sequence[TimelineEntry],
    hidden_new: Optional[List[float]] = None,
) -> Snapshot:
    t0 = time.perf_counter()
    # A collection triggered by our own small allocations would traverse the
    # user's whole heap (a 10M-item list costs tens of ms per full pass).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        snapshot: Snapshot = _inspect(
            ns,
            t0,
            float(budget_ms),
            int(threshold_bytes),
            shell,
            findings,
            session,
            timeline,
            hidden_new,
        )
    except Exception as exc:
        snapshot = {
            "elapsed_ms": round((time.perf_counter() - t0) * 1000, 3),
            "budget_ms": budget_ms,
            "complete": False,
            "variables": [],
            "skipped": [],
            "hidden": [],
            "findings": [],
            "total_bytes": 0,
            "gc": facts.gc_facts(),
            "process": facts.process_facts(state.HELPER.limit.get()),
            "error": exc_message(exc),
            # nothing sized: keeps `complete` false == (sized != total)
            "progress": {"sized": 0, "total": max(1, len(ns))},
        }
    finally:
        if gc_was_enabled:
            gc.enable()
    # The collector was paused by us, not by the user: report their setting.
    snapshot["gc"]["enabled"] = gc_was_enabled
    return snapshot


def _inspect(
    ns: Namespace,
    t0: float,
    budget_ms: float,
    threshold: int,
    shell: Optional[Any],
    want_findings: bool,
    session: Optional[SnapshotSession],
    timeline: Sequence[TimelineEntry],
    hidden_new: Optional[List[float]] = None,
) -> Snapshot:
    deadline = t0 + budget_ms / 1000.0
    if shell is None:
        shell = current_shell()
    items = _items(ns)
    hidden_ns = getattr(shell, "user_ns_hidden", None) if shell is not None else None
    hidden_ns = hidden_ns if type(hidden_ns) is dict else {}
    # sizing stops early enough to leave time for holders, findings and cleanup
    eng = Engine(t0 + SIZING_SHARE * budget_ms / 1000.0, {})
    first_names = eng.first_name = FirstNames(items, hidden_ns, eng)
    holders = collect_holders(ns, shell)
    rec = Recorder(eng, holders, hidden_ns, min(threshold, OBJECTS_MIN_BYTES), threshold)
    try:
        if session is None:
            rec.run(items)
        else:
            rec.run(items, session.known, session.begin())
            session.end(rec.complete)
        variables = rec.variables
        hidden = _hidden(holders, rec.seen, rec.aliases, eng, rec.type_names, deadline, hidden_new)
        clusters = collect_clusters(items, deadline)
        found: List[Finding] = []
        if want_findings:
            ctx = FindingContext(
                variables,
                rec.objects,
                hidden,
                eng,
                threshold,
                deadline,
                shell,
                clusters=clusters,
                timeline=timeline,
                memory=session.rules if session is not None else state.HELPER.rules,
                limit=state.HELPER.limit.get(),
            )
            found = run_findings(ctx)
            ctx.release()
        totals = rec.storage_totals
        payload: Snapshot = {
            "elapsed_ms": 0.0,
            "budget_ms": budget_ms,
            # nothing pending: names not reached again keep their unchanged records
            "complete": rec.pending == 0,
            "variables": variables,
            "skipped": rec.skipped,
            "hidden": hidden,
            "findings": found,
            "total_bytes": round(sum(totals.values())),
            "total_by_storage": {k: round(v) for k, v in totals.items()},
            "gc": facts.gc_facts(),
            "process": facts.process_facts(state.HELPER.limit.get()),
            "progress": {"sized": len(variables) - rec.pending, "total": len(variables)},
        }
        if clusters:
            payload["clusters"] = clusters
    finally:
        eng.close()
        holders.release()
        rec.release()
        first_names.clear()
        del items
    payload["elapsed_ms"] = round((time.perf_counter() - t0) * 1000, 3)
    return payload


def _hidden(
    holders: Holders,
    seen: Dict[int, str],
    aliases: Dict[int, List[str]],
    eng: Engine,
    type_names: Dict[type, str],
    deadline: float,
    new_total: Optional[List[float]] = None,
) -> List[Hidden]:
    """Objects kept alive only by IPython or the last exception (no user name).

    ``new_total[0]`` gets the bytes they add to the snapshot, each object once.
    """
    out: List[Hidden] = []
    for oid, labels in list(holders.items()):
        names = aliases.get(oid) or ([seen[oid]] if oid in seen else [])
        if any(not OUTPUT_NAME.match(n) and not is_ipython_name(n) for n in names):
            continue
        obj = holders.objects.get(oid)
        if obj is None or time.perf_counter() > deadline:
            continue
        t = type(obj)
        kind = eng.kinds.get(t)
        if kind is None:
            kind = eng.classify(t)
        if kind is SKIP:
            continue
        try:
            acc, _meta = eng.measure(obj)
        except Exception:
            continue
        if new_total is not None:
            new_total[0] += acc.new
        size = round(acc.bytes)
        if size < HIDDEN_MIN_BYTES:
            continue
        out.append(
            {
                "holders": labels + [n for n in names if n not in labels],
                "type": public_type_name(t, type_names),
                "size_bytes": size,
                "size_exact": acc.exact,
            }
        )
    out.sort(key=lambda h: -h["size_bytes"])
    return out[:HIDDEN_MAX]

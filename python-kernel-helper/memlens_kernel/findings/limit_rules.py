"""LV111 near-limit: resident memory close to the limit the kernel lives under."""

from __future__ import annotations

from typing import List, Tuple

from .. import facts
from ..wire import Finding
from .base import FindingContext, finding, fmt_bytes, size_of

WARN_SHARE = 0.8
ERROR_SHARE = 0.9
NAMED = 3


def _largest(ctx: FindingContext) -> List[Tuple[str, int]]:
    """The largest holders: variables by name, hidden objects by their holder."""
    held = [(v["name"], size_of(v)) for v in ctx.sized()]
    held += [(h["holders"][0], h["size_bytes"]) for h in ctx.hidden if h["holders"]]
    held.sort(key=lambda item: -item[1])
    return [item for item in held[:NAMED] if item[1] > 0]


def lv111_near_limit(ctx: FindingContext) -> List[Finding]:
    """LV111: RSS >= 80% of the limit (warning), >= 90% (error)."""
    limit, source = ctx.limit
    rss = facts.rss_bytes()
    if not limit or rss is None or rss < WARN_SHARE * limit:
        return []
    share = rss / limit
    largest = _largest(ctx)
    names = ", ".join(f"{name} {fmt_bytes(size)}" for name, size in largest)
    message = (
        f"The kernel uses {fmt_bytes(rss)} of its {fmt_bytes(limit)} memory limit "
        f"({share:.0%}, from {source})" + (f"; largest: {names}" if names else "")
    )
    return [
        finding(
            "LV111",
            "error" if share >= ERROR_SHARE else "warning",
            largest[0][0] if largest else None,
            message,
            size_bytes=rss,
            details={
                "rss_bytes": rss,
                "limit_bytes": limit,
                "limit_source": source,
                "share": round(share, 4),
                "largest": [{"name": n, "bytes": b} for n, b in largest],
            },
        )
    ]

"""Protocol constants shared by the comm glue, the schema and the docs."""

from __future__ import annotations

COMM_TARGET = "memlens"
PROTOCOL_MAJOR = 1
PROTOCOL_MINOR = 2
PROTOCOL_VERSION = f"{PROTOCOL_MAJOR}.{PROTOCOL_MINOR}"

REQUEST_TYPES = (
    "hello",
    "snapshot",
    "dataframe",
    "delete",
    "collect",
    "clear_output_cache",
    "clear_last_error",
    "close_figures",
    "release_to_os",
    "timeline",
    "profile",
    "explain",
    "guard",
)
# Requests that change the user's namespace or process state: refused while a
# cell runs on another thread (they would race the user's code).
MUTATING_TYPES = frozenset(
    {"delete", "clear_output_cache", "clear_last_error", "close_figures", "release_to_os"}
)
EVENT_TYPE = "event"
ERROR_REPLY = "error_reply"
FEATURES = (
    "subshell-routing",
    "cell-events",
    "findings",
    "hidden-references",
    "line-profile",
    "explain",
    "memory-limit",
    "guard",
    "postmortem",
)
# The live rule ids are ``memlens_kernel.findings.LIVE_RULES`` (the rule registry).
# ``profile`` request ``method`` values (1.2); a 1.1 request without one is exact.
PROFILE_METHODS = ("tracemalloc", "sampled")

MAX_BUDGET_MS = 10_000.0
DEFAULT_BUDGET_MS = 200.0

"""``python -m memlens_kernel.execute``: the runner the ``memlens`` CLI spawns.

Reads one job as JSON on stdin (see ``runner.Job.from_json``) and writes its
events as JSON lines on stdout. Exit status 0 when the events were written
(a failed cell or a dead kernel is an event, not a status), 2 on a bad job.
"""

from __future__ import annotations

import json
import sys

from .runner import Job, emit_line, run


def main() -> int:
    """Run the job read from stdin."""
    try:
        job = Job.from_json(json.loads(sys.stdin.read()))
    except (ValueError, TypeError, KeyError) as error:
        sys.stderr.write(f"memlens execute: bad job on stdin: {error}\n")
        return 2
    run(job, emit_line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

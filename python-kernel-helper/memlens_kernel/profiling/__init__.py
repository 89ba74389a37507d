"""Per-line memory profile of one cell: arming, tracing, attribution, magic.

- ``arming``: the ``profile`` request arms the next run of a cell id; the
  IPython hooks start and stop a session around that run.
- ``statements``: the marks compiled into the cell at its top-level
  statements; ``marked``: the session part both methods share (statements
  as the marks report them, the event data).
- ``session``: exact (``tracemalloc``, read after the fact by
  ``attribution``; ``lines`` follows a loop's lines for a while).
- ``sampled``: resident memory and the running line, read by a thread.
- ``magic``: ``%%memlens_profile`` for use without the frontend.
"""

"""Per-line memory profile of one cell: arming, tracing, attribution, magic.

- ``arming``: the ``profile`` request arms the next run of a cell id; the
  IPython hooks start and stop a session around that run.
- ``session``: one traced run (``tracemalloc`` + a line tracer on the cell's
  own frames) and the per-line result.
- ``magic``: ``%%memlens_profile`` for use without the frontend.
"""

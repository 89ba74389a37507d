"""``memlens lint --execute``: run a notebook's cells in a fresh kernel.

This package runs *outside* the kernel, in the Python the ``memlens`` command
line starts (``python -m memlens_kernel.execute``); it drives the kernel
through ``nbclient``/``jupyter_client`` (the ``execute`` extra) and is never
sent into a kernel by the bootstrap. The kernel side of it is
``memlens_kernel.features.run_facts``.
"""

"""JupyterLab server configuration for the Galata integration tests.

Never use this configuration in production: it disables all security.
"""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 - `c` is injected by Jupyter's config loader

c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
# Tests that time out must not leave a kernel behind.
c.MappingKernelManager.cull_idle_timeout = 0  # noqa: F821

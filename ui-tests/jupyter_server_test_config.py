"""Server configuration for the Galata integration tests, for both front
ends: `jupyter lab` and `jupyter notebook` (Notebook 7) read it.

Never use this configuration in production: it disables all security.
"""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 - `c` is injected by Jupyter's config loader

# Galata drives the page through `window.jupyterapp`; configure_jupyter_server
# exposes it for JupyterLab, Notebook 7 has its own switch.
c.JupyterNotebookApp.expose_app_in_browser = True  # noqa: F821
c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
# Tests that time out must not leave a kernel behind.
c.MappingKernelManager.cull_idle_timeout = 0  # noqa: F821

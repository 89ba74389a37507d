"""JupyterLab extension package for memlens: ships the prebuilt labextension."""

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - only when the package was not built
    import warnings

    warnings.warn("Importing 'jupyterlab_memlens' outside a proper installation.", stacklevel=2)
    __version__ = "dev"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-memlens"}]

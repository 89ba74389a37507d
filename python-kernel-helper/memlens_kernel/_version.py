"""Single source of the helper's version (read by hatch and by the handshake)."""

__version__ = "0.1.0"

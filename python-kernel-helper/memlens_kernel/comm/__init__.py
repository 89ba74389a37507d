"""The memlens comm: protocol constants, request handlers, the comm target."""

"""Check what `make dist` built: both wheels and sdists, a production frontend.

Usage: python scripts/check_dist.py DIST_DIR. Exits non-zero with a message
naming what is wrong (a missing artifact, source maps or an unminified
development bundle in the extension's wheel).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

EXTENSION_DIR = "share/jupyter/labextensions/jupyterlab-memlens/"


def problems(dist: Path) -> list[str]:
    """What is wrong with the artifacts in ``dist`` (empty when all is well)."""
    found: list[str] = []
    for pattern in (
        "jupyterlab_memlens-*.whl",
        "jupyterlab_memlens-*.tar.gz",
        "memlens_kernel-*.whl",
        "memlens_kernel-*.tar.gz",
    ):
        if not list(dist.glob(pattern)):
            found.append(f"missing {pattern}")
    for wheel in dist.glob("jupyterlab_memlens-*.whl"):
        names = zipfile.ZipFile(wheel).namelist()
        extension = [n for n in names if EXTENSION_DIR in n]
        if not any(n.endswith("/package.json") for n in extension):
            found.append(f"{wheel.name}: no labextension in the wheel")
        maps = [n for n in extension if n.endswith(".map")]
        if maps:
            found.append(f"{wheel.name}: {len(maps)} source maps, e.g. {maps[0]}")
        with zipfile.ZipFile(wheel) as archive:
            for name in extension:
                if name.endswith(".js") and b"webpack/runtime" in archive.read(name)[:4096]:
                    found.append(f"{wheel.name}: {name} is a development build")
                    break
    return found


def main(argv: list[str]) -> int:
    dist = Path(argv[1] if len(argv) > 1 else "dist")
    found = problems(dist)
    for problem in found:
        print(f"dist: {problem}", file=sys.stderr)
    if not found:
        print(f"dist: {', '.join(sorted(p.name for p in dist.iterdir()))}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

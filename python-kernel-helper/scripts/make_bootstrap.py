#!/usr/bin/env python3
"""Generate the self-contained bootstrap source of the memlens kernel helper.

    python python-kernel-helper/scripts/make_bootstrap.py --ts src/kernel/bootstrap.generated.ts
    python python-kernel-helper/scripts/make_bootstrap.py --py /tmp/memlens_bootstrap.py

The source is built from the package modules on disk (memlens_kernel.bootstrap);
nothing is kept by hand. Only the standard library is needed to run this.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from memlens_kernel.bootstrap import build_bootstrap_source, build_ts_module  # noqa: E402


def main(argv: Optional[List[str]] = None) -> int:
    """Write the TypeScript module and/or the raw Python source."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ts", type=Path, help="write a TS module exporting BOOTSTRAP_SOURCE")
    parser.add_argument("--py", type=Path, help="write the raw Python bootstrap source")
    args = parser.parse_args(argv)
    if not args.ts and not args.py:
        parser.error("give --ts and/or --py")
    if args.ts:
        args.ts.parent.mkdir(parents=True, exist_ok=True)
        args.ts.write_text(build_ts_module(), encoding="utf-8")
    if args.py:
        args.py.parent.mkdir(parents=True, exist_ok=True)
        args.py.write_text(build_bootstrap_source(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

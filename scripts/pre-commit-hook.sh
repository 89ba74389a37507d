#!/usr/bin/env bash
# Entry of the `memlens` pre-commit hook (.pre-commit-hooks.yaml). pre-commit
# keeps a clone of this repository in its cache; the first run builds the CLI
# there (npm ci + the TypeScript build, about a minute), later runs only call
# it. Needs node >= 20 and npm on PATH. Arguments: the files to lint.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ ! -f "$here/lib/node/cli.js" ] || [ ! -f "$here/lib/cli.js" ]; then
  echo "memlens: building the CLI once in $here" >&2
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund >&2 && npm run -s build:cli >&2)
fi
exec node "$here/lib/cli.js" lint "$@"

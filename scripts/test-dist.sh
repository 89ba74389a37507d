#!/usr/bin/env bash
# The release build installs without node: `make dist`, then a fresh venv
# with `pip install dist/*.whl jupyterlab` and no node on PATH must list the
# extension as enabled and OK. Called by scripts/run-tests.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
make -s dist

python3 -m venv "$work/venv"
# A PATH with the venv and bash only: no node, no npm.
mkdir "$work/bin"
ln -s "$(command -v bash)" "$work/bin/bash"
isolated="$work/venv/bin:$work/bin"
if PATH=$isolated command -v node >/dev/null; then
  echo "FAIL: node is still on the isolated PATH" >&2
  exit 1
fi
env PATH="$isolated" "$work/venv/bin/pip" install -q --disable-pip-version-check \
  dist/*.whl jupyterlab
listing=$(env PATH="$isolated" JUPYTER_CONFIG_DIR="$work/config" \
  "$work/venv/bin/jupyter" labextension list 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
echo "$listing"
if ! grep -Eq 'jupyterlab-memlens v[0-9.]+ enabled OK' <<<"$listing"; then
  echo "FAIL: the installed wheel does not show jupyterlab-memlens as enabled OK" >&2
  exit 1
fi
echo "dist: 1 passed, 0 failed"

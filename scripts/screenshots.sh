#!/usr/bin/env bash
# `make screenshots`: the README images in docs/images/, made by Galata from
# examples/demo.ipynb (ui-tests/screenshots/readme.spec.ts) with the same
# isolated Jupyter state as the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/.venv/bin:$root/node_modules/.bin:$PATH"
run_dir="$root/.test-run/screenshots"
rm -rf "$run_dir"
mkdir -p "$run_dir"/{config,runtime,ipython,galata-root}
export JUPYTER_CONFIG_DIR="$run_dir/config" JUPYTER_RUNTIME_DIR="$run_dir/runtime"
export IPYTHONDIR="$run_dir/ipython" JUPYTERLAB_GALATA_ROOT_DIR="$run_dir/galata-root"
export JUPYTER_PATH="$root/.venv/share/jupyter:$root/ui-tests"
cd ui-tests
npx playwright test --config playwright.screenshots.config.js "$@"
ls -l "$root/docs/images"

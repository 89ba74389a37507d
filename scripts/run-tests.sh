#!/usr/bin/env bash
# Runs every test suite of memlens, even after one fails, then prints a
# summary. Exit status: 0 when all passed, 1 otherwise. Called by `make test`
# after the set-up and build steps.
set -u
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/.venv/bin:$root/node_modules/.bin:$PATH"

# Keep Jupyter and IPython state inside the test run, never in ~.
run_dir="$root/.test-run"
rm -rf "$run_dir"
mkdir -p "$run_dir"/{config,data,runtime,ipython,galata-root}
export JUPYTER_CONFIG_DIR="$run_dir/config"
export JUPYTER_RUNTIME_DIR="$run_dir/runtime"
export IPYTHONDIR="$run_dir/ipython"
export JUPYTERLAB_GALATA_ROOT_DIR="$run_dir/galata-root"
# The venv's data dir holds the linked labextension and the kernelspec.
export JUPYTER_PATH="$root/.venv/share/jupyter:$root/ui-tests"

names=()
results=()
step() {
  local name=$1
  shift
  echo
  echo "=== memlens test: $name ==="
  local start=$SECONDS
  if "$@"; then
    results+=("PASS  $name ($((SECONDS - start)) s)")
  else
    results+=("FAIL  $name ($((SECONDS - start)) s)")
    failed=1
  fi
  names+=("$name")
}
failed=0

step "lint (eslint, prettier, stylelint, ruff)" bash -c \
  'npm run -s lint:check && ruff check . && ruff format --check .'
# The kernel helper: mypy --strict, no import cycles, wire types generated from the schema.
step "kernel helper types (mypy --strict, import cycles, wire.py up to date)" bash -c \
  'cd python-kernel-helper && mypy && python scripts/check_imports.py && python scripts/make_wire_types.py --check'
step "jest (analyzer, CLI, protocol)" npx jest --ci
step "pytest (kernel helper, real kernel)" python -m pytest -q -p no:cacheprovider
step "pre-commit hook (try-repo on a clean clone)" bash scripts/test-pre-commit.sh
step "galata (JupyterLab and Notebook 7 in Chromium)" bash -c 'cd ui-tests && npx playwright test'
# Last: it replaces the development build with the release build.
step "release build (make dist, install without node)" bash scripts/test-dist.sh

echo
echo "=== memlens test summary ==="
printf '%s\n' "${results[@]}"
passed=$(printf '%s\n' "${results[@]}" | grep -c '^PASS')
echo "suites: $passed passed, $((${#results[@]} - passed)) failed"
exit $failed

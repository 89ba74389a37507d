#!/usr/bin/env bash
# The pre-commit hook works from a clean clone: `pre-commit try-repo` on a
# clone of this repository's HEAD installs the hook (npm builds the CLI in its
# `prepare` step), reports an unclosed open() in a notebook, and exits
# non-zero. Called by scripts/run-tests.sh; needs git, node, npm and
# pre-commit on PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"

git clone -q "$root" "$work/memlens"

mkdir "$work/project"
cd "$work/project"
git init -q
cat >nb.ipynb <<'NOTEBOOK'
{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "f = open(\"data.txt\")\n",
    "text = f.read()"
   ]
  }
 ],
 "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
NOTEBOOK
git add nb.ipynb

set +e
output=$(pre-commit try-repo "$work/memlens" memlens --files nb.ipynb 2>&1)
status=$?
set -e
echo "$output"
if [ "$status" -eq 0 ]; then
  echo "FAIL: pre-commit passed a notebook with an unclosed open()" >&2
  exit 1
fi
if ! grep -q 'nb.ipynb:cell 1:1:5: ML601' <<<"$output"; then
  echo "FAIL: the hook did not report ML601 at nb.ipynb:cell 1:1:5" >&2
  exit 1
fi
echo "pre-commit hook: 1 passed, 0 failed"

# memlens: the two commands are `make lab` and `make test` (see README.md).
# Everything is installed into the repository: .venv/ (Python), node_modules/
# (extension) and ui-tests/node_modules/ (Galata). Stamp files in .make/ keep
# re-runs fast: nothing is reinstalled unless its requirement files changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
STAMPS := $(CURDIR)/.make
export PATH := $(BIN):$(CURDIR)/node_modules/.bin:$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

TS_SOURCES := $(shell find src style schema -type f 2>/dev/null) package.json tsconfig.json tsconfig.cli.json webpack.config.js
HELPER_SOURCES := $(shell find python-kernel-helper/memlens_kernel python-kernel-helper/scripts -name '*.py' 2>/dev/null)

.PHONY: lab notebook test setup build dist screenshots lint format clean

## make lab: install, build and start JupyterLab on a copy of the demo
## notebook in .demo/ (git-ignored: the demo's outputs and files stay there).
lab: build $(STAMPS)/demo
	@mkdir -p .demo
	@test -f .demo/demo.ipynb || cp examples/demo.ipynb .demo/demo.ipynb
	@echo "memlens: starting JupyterLab on http://127.0.0.1:8888/lab/tree/demo.ipynb (.demo/)"
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=8888 --no-browser \
		--ServerApp.root_dir=$(CURDIR)/.demo $(if $(filter 0,$(shell id -u)),--allow-root) \
		--LabApp.default_url=/lab/tree/demo.ipynb

## make notebook: the same in Jupyter Notebook 7.
notebook: build $(STAMPS)/demo
	@mkdir -p .demo
	@test -f .demo/demo.ipynb || cp examples/demo.ipynb .demo/demo.ipynb
	@echo "memlens: starting Jupyter Notebook 7 on http://127.0.0.1:8888/notebooks/demo.ipynb (.demo/)"
	$(BIN)/jupyter notebook --ip=127.0.0.1 --port=8888 --no-browser \
		--ServerApp.root_dir=$(CURDIR)/.demo $(if $(filter 0,$(shell id -u)),--allow-root) \
		--JupyterNotebookApp.default_url=/notebooks/demo.ipynb

## make test: install, build, then lint, jest, pytest and Galata, with a summary.
test: build $(STAMPS)/ui-npm $(STAMPS)/chromium
	@bash scripts/run-tests.sh

setup: $(STAMPS)/venv $(STAMPS)/npm

## make dist: both wheels and sdists in dist/, with a production frontend build
## (whatever was built before); `pip install dist/*.whl` then needs no node.
dist: $(STAMPS)/venv $(STAMPS)/npm
	rm -rf dist jupyterlab_memlens/labextension $(STAMPS)/develop
	npm run build:prod
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/python -m build --no-isolation --outdir dist python-kernel-helper
	$(BIN)/python scripts/check_dist.py dist

build: $(STAMPS)/develop

$(STAMPS)/venv: requirements-dev.txt python-kernel-helper/requirements-test.txt python-kernel-helper/pyproject.toml
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -r requirements-dev.txt -r python-kernel-helper/requirements-test.txt
	$(BIN)/python -m pip install -q -e python-kernel-helper
	@touch $@

$(STAMPS)/demo: $(STAMPS)/venv examples/requirements.txt
	$(BIN)/python -m pip install -q -r examples/requirements.txt
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund
	@touch $@

# Builds lib/ and the labextension, installs the Python package in editable
# mode (without build isolation: the builders are pinned in the venv) and
# links the labextension into the venv for development.
$(STAMPS)/develop: $(STAMPS)/venv $(STAMPS)/npm $(TS_SOURCES) $(HELPER_SOURCES) pyproject.toml
	npm run build
	$(BIN)/python -m pip install -q --no-build-isolation --no-deps -e .
	$(BIN)/jupyter-builder develop --overwrite .
	@touch $@

$(STAMPS)/ui-npm: ui-tests/package.json ui-tests/package-lock.json
	@mkdir -p $(STAMPS)
	cd ui-tests && npm ci --no-audit --no-fund
	@touch $@

# Playwright cannot download browsers here: use Debian's Chromium.
$(STAMPS)/chromium:
	@mkdir -p $(STAMPS)
	@command -v chromium >/dev/null || { \
		echo "memlens: installing Debian's chromium (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@touch $@

## make screenshots: the README images (docs/images/) from the demo notebook.
screenshots: build $(STAMPS)/ui-npm $(STAMPS)/chromium $(STAMPS)/demo
	@bash scripts/screenshots.sh

lint: build
	npm run lint:check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	npm run lint
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# .demo/ is left alone: it holds your own edits of the demo notebook.
clean:
	rm -rf $(STAMPS) dist lib jupyterlab_memlens/labextension jupyterlab_memlens/_version.py tsconfig.tsbuildinfo coverage

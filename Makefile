# The two commands in the README are `make site` and `make test`; each sets up what it needs.
# The others are for editors and maintainers. See the README and CONTRIBUTING.md.

VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
# The config to build, preview or check: the public edition, or a hospital's copy
# (make site CONFIG=examples/your-hospital/mkdocs.yml). Its translations (mkdocs.LANG.yml beside
# it) are built and checked with it.
CONFIG ?= mkdocs.yml
export PYTHONPATH := hooks
export NO_MKDOCS_2_WARNING := 1

# Which Python `$(PYTHON)` is. The install stamps carry it in their names, so a .venv made by
# another Python (an older python3, or one replaced since) is made again, never reused.
PYTHON_ID := $(shell $(PYTHON) -c 'import sys, zlib; print(zlib.crc32(f"{sys.version} {sys.base_prefix}".encode()))' 2>/dev/null)
SITE_INSTALLED := $(VENV)/.site-installed-$(PYTHON_ID)
DEV_INSTALLED := $(VENV)/.dev-installed-$(PYTHON_ID)
OFFLINE_NPM := offline/node_modules/iframe-worker
LIGHTHOUSE := benchmarks/node_modules/.bin/lighthouse
CHECKERS_NPM := tests/node_modules/vnu-jar

.PHONY: site serve offline check test test-fast lint benchmark lock site-packages test-packages

# Every edition of CONFIG (it, then each mkdocs.LANG.yml beside it), built beside its site folder
# and swapped in only when all built: the last good site stays (see second_opinion/publish.py).
site: site-packages
	$(PY) -m second_opinion.publish --config $(CONFIG)

# Live preview of one edition at http://127.0.0.1:8000/; the Spanish one with CONFIG=mkdocs.es.yml.
serve: site-packages
	$(VENV)/bin/mkdocs serve -f $(CONFIG)

# The copy to open from disk: see mkdocs-offline.yml.
offline: site-packages $(OFFLINE_NPM)
	$(PY) -m second_opinion.publish --config mkdocs-offline.yml

check: site-packages
	$(PY) -m second_opinion --config $(CONFIG) check

# Lint first: it takes seconds, the tests minutes. --durations lists the slowest tests. The tests
# run in one process: with pytest-xdist (-n 2) each worker repeats the session-wide builds (both
# editions, the hospital copy), and on a 2-core machine it was not faster.
test: lint $(DEV_INSTALLED) test-packages $(OFFLINE_NPM) $(CHECKERS_NPM)
	$(PY) -m pytest --durations=15

# For editors: the data and render tests (no browser, no site build), in under a minute.
test-fast: $(DEV_INSTALLED) site-packages
	$(PY) -m pytest tests/data tests/render

lint: $(DEV_INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/zizmor --offline --quiet .github/workflows/

benchmark: $(DEV_INSTALLED) test-packages $(LIGHTHOUSE)
	$(PY) benchmarks/run.py

# The system packages each command needs (tools/system-packages installs the missing ones).
site-packages: $(SITE_INSTALLED)
	@PY=$(PY) tools/system-packages pango
test-packages: $(SITE_INSTALLED)
	@PY=$(PY) tools/system-packages pango chromium nginx pdftotext zbarimg java npm

# Recompute both locks from requirements*.in, with hashes, keeping every pinned version that
# still fits; LOCK_ARGS="--upgrade-package NAME" moves one package to its newest release.
# Only uv is needed, installed from its own hashed lines, so this works even while the locks hold
# lines added by hand that it is about to fold in.
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
  --custom-compile-command "make lock" $(LOCK_ARGS)
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@awk '/^uv==/ {found = 1} found {print} found && !/\\$$/ {exit}' requirements-dev.txt > $(VENV)/uv.txt
	@$(PIP_INSTALL) --no-deps -r $(VENV)/uv.txt
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in --constraint requirements.txt -o requirements-dev.txt

# Errors only (-qq): pip's warnings about index folders a machine's pip config names but lacks
# would fill the output of every fresh set-up; every package comes from the hashed locks anyway.
PIP_INSTALL = $(PY) -m pip install -qq --disable-pip-version-check --require-hashes

$(SITE_INSTALLED): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "This project needs Python 3.11 or newer, and $(PYTHON) is $$(command -v $(PYTHON) >/dev/null && $(PYTHON) --version 2>&1 || echo "not installed")." >&2; \
	  echo "Install a newer Python, or name one: make PYTHON=python3.12 $(or $(MAKECMDGOALS),site)" >&2; exit 1; }
	@if [ "$$($(PY) -c 'import sys, zlib; print(zlib.crc32(f"{sys.version} {sys.base_prefix}".encode()))' 2>/dev/null)" != "$(PYTHON_ID)" ]; then \
	  if [ -d $(VENV) ]; then echo "$(VENV) was made by another Python: making it again with $(PYTHON)"; fi; \
	  rm -rf $(VENV); $(PYTHON) -m venv $(VENV) || { \
	    echo "Could not make $(VENV). On Debian or Ubuntu: sudo apt-get install python3-venv" >&2; exit 1; }; fi
	@echo "Installing the site's Python packages into $(VENV) (a minute or two the first time)"
	@$(PIP_INSTALL) -r requirements.txt
	@touch $@

$(DEV_INSTALLED): $(SITE_INSTALLED) requirements-dev.txt
	@echo "Installing the test and lint packages into $(VENV)"
	@$(PIP_INSTALL) -r requirements-dev.txt
	@touch $@

$(OFFLINE_NPM): offline/package-lock.json
	@PY=$(PY) tools/system-packages npm
	@echo "Installing the offline copy's npm package"
	@npm ci --prefix offline --no-audit --no-fund --loglevel=error
	@touch $@

# The checkers the tests run (the Nu Html Checker, IBM's accessibility-checker engine), without
# install scripts: vnu-jar's would download a Java runtime; the machine's Java runs it.
$(CHECKERS_NPM): tests/package-lock.json
	@PY=$(PY) tools/system-packages npm
	@echo "Installing the test checkers' npm packages"
	@npm ci --prefix tests --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(LIGHTHOUSE): benchmarks/package-lock.json
	@PY=$(PY) tools/system-packages npm
	@echo "Installing Lighthouse for the benchmark"
	@npm ci --prefix benchmarks --no-audit --no-fund --loglevel=error
	@touch $@

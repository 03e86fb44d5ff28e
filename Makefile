# The two commands in the README are `make site` and `make test`; each sets up what it needs.
# The others are for editors and maintainers.

VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := hooks
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve offline test check benchmark system-packages

# Every edition: English into site/, then each translation (mkdocs.LANG.yml) into site/LANG/.
EDITIONS := mkdocs.yml $(wildcard mkdocs.??.yml)

site: $(VENV)/.site-installed
	for config in $(EDITIONS); do $(VENV)/bin/mkdocs build --strict -f $$config || exit 1; done

serve: $(VENV)/.site-installed
	$(VENV)/bin/mkdocs serve

# The copy to open from disk: see mkdocs-offline.yml.
offline: $(VENV)/.site-installed offline/node_modules/iframe-worker
	$(VENV)/bin/mkdocs build --strict -f mkdocs-offline.yml

check: $(VENV)/.site-installed
	$(PY) -m second_opinion check

test: $(VENV)/.dev-installed system-packages offline/node_modules/iframe-worker
	$(PY) -m pytest

benchmark: $(VENV)/.dev-installed system-packages
	$(PY) benchmarks/run.py

$(VENV)/.site-installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.site-installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

offline/node_modules/iframe-worker: offline/package-lock.json
	npm ci --prefix offline --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests use Debian's Chromium (Playwright cannot download browsers here), nginx for the
# hosting test, poppler's pdftotext to read PDFs back, zbar-tools' zbarimg to read QR codes back as a
# phone would, and Java for the Nu Html Checker.
system-packages:
	@command -v chromium >/dev/null && command -v nginx >/dev/null && command -v pdftotext >/dev/null \
	  && command -v zbarimg >/dev/null \
	  && command -v java >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -q chromium nginx-light poppler-utils zbar-tools default-jre-headless; }

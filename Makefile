# Two commands do all the set-up: `make run` and `make test` (`make serve` for many readers).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
CHROMIUM := /usr/bin/chromium
NGINX    := /usr/sbin/nginx
HOST   ?= 127.0.0.1
# make run: Streamlit's port (8501); make serve: nginx's (8080)
PORT   ?=
# make serve: Streamlit processes behind nginx, on ports WORKER_PORT, WORKER_PORT+1 …; their files in RUN_DIR
WORKERS     ?= 2
WORKER_PORT ?= 8501
RUN_DIR     ?= .run
# make loadtest: the scenario of docs/serving.md "Serving many readers" (seconds; a CSV every DOWNLOAD_EVERY changes
# on the Cases page; BURST Map readers arriving within a second)
SESSIONS ?= 100
DURATION ?= 180
THINK    ?= 3,6
DOWNLOAD_EVERY ?= 2,4
BURST    ?= 60
# Each Streamlit session runs in its own thread; glibc gives each thread a malloc arena that keeps
# the freed temporaries of a large filter resident (+37 MiB per session at 1M verdicts; +4 MiB with 2).
MALLOC_ARENA_MAX ?= 2
# make test fails when the tests cover less of src/geo than this (per cent, lines and branches).
COVERAGE_FLOOR ?= 85
# The interface's gettext catalogs (geo.i18n): the template and each language's .po are kept in git,
# the compiled .mo beside each .po are built here (and in memory at start where one is missing or stale).
LOCALES  := src/geo/i18n/locale
POT      := $(LOCALES)/messages.pot
LANGS    := ru kk
MO       := $(foreach lang,$(LANGS),$(LOCALES)/$(lang)/LC_MESSAGES/messages.mo)
PYBABEL  := $(VENV)/bin/pybabel

.PHONY: run serve serve-stop loadtest test test-fast lint validate bench chromium nginx clean robustness catalogs docs

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

## run: start the dashboard on the shipped data (or $GEO_DATA_DIR) at http://$(HOST):8501 (PORT=…), one process;
## serve.py is app.py behind a guard that refuses uploads (the dashboard has no upload widget)
run: $(STAMP) $(MO)
	MALLOC_ARENA_MAX=$(MALLOC_ARENA_MAX) $(VENV)/bin/streamlit run serve.py --server.address $(HOST) --server.port $(or $(PORT),8501)

## serve: WORKERS Streamlit processes (serve.py, as make run starts it) under supervisord, Debian's nginx in
## front at http://$(HOST):8080 (PORT=…) with sticky sessions (installed when missing); in the foreground:
## Ctrl-C stops it all, and so does `make serve-stop` from another shell. docs/serving.md "Serving many readers"
serve: $(STAMP) $(MO) nginx
	$(PY) -m geo serve-config --workers $(WORKERS) --first-port $(WORKER_PORT) --listen $(HOST):$(or $(PORT),8080) \
	  --run-dir $(RUN_DIR) --python $(abspath $(PY))
	$(VENV)/bin/supervisord -c $(RUN_DIR)/supervisord.conf

serve-stop: | $(PY)
	$(VENV)/bin/supervisorctl -c $(RUN_DIR)/supervisord.conf shutdown

## loadtest: SESSIONS readers through nginx for DURATION s on the Cases page, with 1 and then 2 workers, then 2
## with one killed half-way; then on the Map page with 2 workers, SESSIONS readers arriving over 10 s, then BURST
## within 1 s (about 17 minutes at the defaults); fails unless the targets hold; artifacts/loadtest.{json,md},
## and the table in docs/serving.md
loadtest: $(STAMP) $(MO) nginx
	PYTHONPATH=tests$${PYTHONPATH:+:$$PYTHONPATH} $(PY) tests/load/proxy_load.py --workers 1,2 --pages cases,map \
	  --sessions $(SESSIONS) --burst $(BURST) --duration $(DURATION) --think $(THINK) --download-every $(DOWNLOAD_EVERY) \
	  --doc docs/serving.md

## test: every test but the long runs (marked slow: load, big inputs; make robustness runs them), the
## real-browser ones included (installs Debian's chromium when missing), on two workers, a file at a
## time each (a module's server, browser or synthetic data is made once); reports the coverage,
## failing under COVERAGE_FLOOR per cent. docs/testing.md says how to run a part and what each costs.
test: $(STAMP) $(MO) chromium nginx
	$(PY) -m pytest -n 2 --dist loadfile -m "not slow" --durations=15 --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR)

## test-fast: everything but the browser and slow tests
test-fast: $(STAMP) $(MO)
	$(PY) -m pytest -n 2 --dist loadfile -m "not browser and not slow"

## lint: ruff's rules and its formatting (both set in pyproject.toml), mypy over the package, and
## import-linter's contracts (the layers of geo: [tool.importlinter] in pyproject.toml)
LINTED := src tests pages app.py serve.py
lint: $(STAMP)
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

## robustness: hostile inputs, server hardening, slow clients, framing, hostile text in chromium, geocoder faults, and the long
## runs make test leaves out (30-session load, the proxy with a killed worker, 50 MB and 20 MB inputs,
## 200,000-row Excel, 300 random filters against the reference, the benchmarks' full runs, the other
## long runs marked slow), each alone so that its memory and latency figures are not measured beside
## other tests; the figures go to artifacts/robustness-report.json (docs/robustness.md summarises them)
robustness: $(STAMP) $(MO) chromium nginx
	$(PY) -m pytest --durations=10 tests/test_corpus.py tests/test_corpus_generated.py tests/test_server_config.py \
	  tests/test_serve.py tests/test_slow_clients.py tests/test_framing.py tests/e2e/test_framing_browser.py \
	  tests/test_geocode_update.py tests/test_cache.py tests/test_export.py \
	  tests/test_mentions_hostile.py tests/e2e/test_hostile_browser.py tests/load
	$(PY) -m pytest --durations=10 -m slow tests/test_case_index.py tests/test_bench.py \
	  tests/test_app_background_load.py tests/test_made_downloads_served.py
	@echo "figures: artifacts/robustness-report.json"

## catalogs: extract the messages from the code into messages.pot, merge them into each language's .po
## (new ones empty, changed ones fuzzy: translate them by GLOSSARY.md, then run it again), compile the .mo;
## a language added to LANGS gets its .po here
catalogs: $(STAMP)
	$(PYBABEL) -q extract -F babel.cfg --project=qantar-map --copyright-holder="qantar-map contributors" --no-wrap --sort-output --add-location=file -o $(POT) .
	for lang in $(LANGS); do \
	  $(PYBABEL) update -i $(POT) -d $(LOCALES) -l $$lang --no-wrap --ignore-obsolete --init-missing || exit 1; \
	done
	$(PYBABEL) compile -d $(LOCALES) --statistics

$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po | $(STAMP)
	$(PYBABEL) compile -i $< -o $@ -l $* --statistics

## docs: the README's coverage block, from the data (python -m geo coverage --readme README.md)
docs: $(STAMP) $(MO)
	$(PY) -m geo coverage --readme README.md

validate: $(STAMP)
	$(PY) -m geo validate

## bench: the scaling benchmark at 10k, 100k and 1M verdicts (several minutes); results in artifacts/;
## the rerun (AppTest) and browser figures run this checkout's app.py (geo.bench.rerun, geo.bench.browser)
bench: $(STAMP) chromium
	mkdir -p artifacts
	$(PY) -m geo bench --sizes 10000,100000,1000000 --browser --app app.py --json artifacts/bench.json | tee artifacts/bench.md

## borders: rebuild data/borders.geojson from Natural Earth (npm fetches world-atlas 2.0.2 into a temporary
## directory; the build itself is offline); `make borders CHECK=1` only says whether the shipped file is current
.PHONY: borders
borders: $(STAMP)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent world-atlas@2.0.2 >/dev/null) && \
	  $(PY) -m geo borders "$$tmp/world-atlas-2.0.2.tgz" --out data/borders.geojson $(if $(CHECK),--check)

# Browser tests drive Debian's chromium (Playwright's own browser download cannot work offline).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "!! $(CHROMIUM) is missing and cannot be installed (not root): browser tests will be SKIPPED"; \
	  fi; \
	fi

# make serve's proxy is Debian's nginx with its stream module (the load and proxy tests start it too).
STREAM_MODULE := /usr/lib/nginx/modules/ngx_stream_module.so
nginx:
	@if { [ ! -x $(NGINX) ] && ! command -v nginx >/dev/null; } || [ ! -e $(STREAM_MODULE) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's nginx and its stream module for make serve and the proxy tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-stream >/dev/null; \
	  elif command -v sudo >/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-stream >/dev/null; \
	  else \
	    echo "!! nginx or its stream module is missing and cannot be installed (not root): make serve cannot start, proxy tests will be SKIPPED"; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) artifacts .pytest_cache $(RUN_DIR)

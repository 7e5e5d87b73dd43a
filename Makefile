# Two entry points: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/rasd.sqlite
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run run-cluster test install install-test db chromium nginx postgres bench bench-cluster clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Rebuilt when missing or older than the seeds, the catalogue, or the extractor and gazetteer that read them.
EXTRACTION_SOURCES := $(wildcard seeds/*.txt) seeds/articles.csv $(wildcard rasd/*.py rasd/store/*.py rasd/extract/*.py rasd/extract/data/* geo/*.py geo/*.csv geo/data/*)

$(DB): $(EXTRACTION_SOURCES) | $(VENV)/.installed
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(PY) -m rasd ingest seeds --db $(DB)

db: $(DB)

run: install db
	RASD_DB=$(DB) $(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true

# For a newsroom: PostgreSQL in data/pg, $(REPLICAS) Streamlit replicas, nginx on $(CLUSTER_PORT) (README: "Running
# for a newsroom"). RASD_DB=postgresql://... (or a SQLite file) uses that database instead of a local PostgreSQL.
REPLICAS ?= 2
CLUSTER_PORT ?= 8080
CLUSTER_ARGS ?=
run-cluster: install
	$(PY) scripts/run_cluster.py --replicas $(REPLICAS) --port $(CLUSTER_PORT) $(CLUSTER_ARGS)

chromium:
	@[ -x /usr/bin/chromium ] || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

nginx:
	@[ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null; }

postgres:
	@[ -x /usr/lib/postgresql/15/bin/initdb ] || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null; }

test: install-test chromium nginx postgres
	$(PY) -m pytest -q

bench: install-test chromium
	$(PY) -m pip install -q -e '.[test,bench]'
	$(PY) bench/bench_extract.py
	$(PY) bench/bench_triggers.py
	$(PY) bench/bench_classifier.py
	$(PY) bench/bench_map.py
	$(PY) bench/bench_browser.py

# Load and faults on the cluster (README: "Running for a newsroom"); never part of `make test`.
BENCH_CLUSTER_ARGS ?=
bench-cluster: install-test chromium nginx postgres
	$(PY) bench/bench_cluster.py $(BENCH_CLUSTER_ARGS)

clean:
	rm -rf $(VENV) data test-output static/vendor

# Two commands run everything on a fresh machine with only Python 3.11+ and make:
#   make demo   the main job, offline, on the bundled briefings
#   make test   lint, format check and every test
# Both bootstrap uv into .tools/ and the locked dependencies into .venv/ first.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
SYNCED := $(VENV)/.synced

export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: setup demo test lint eval bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: uv installs no .pyc by default, and where PYTHONDONTWRITEBYTECODE is set
# (as on our CI machines) none is ever written, so every process compiled every module it
# imported: `import flows.monitor` took 5.4 s instead of 2.4 s, in each flow run, page worker,
# command and test subprocess. Compiling once here costs ~7 s.
# The gazetteer's place index (briefwatch/places) is built from GeoNames once, here (~15 s), into
# the user's cache folder ($$BRIEFWATCH_CACHE_DIR overrides it); a pass never builds it.
$(SYNCED): uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	$(VENV)/bin/python -m briefwatch.places
	touch $@

# The index is checked on every setup, not only when the locked dependencies change: a new
# index format (briefwatch/places/build.py INDEX_FORMAT) is built here, not in a pass
# (~0.2 s when the index is current).
setup: $(SYNCED)
	$(VENV)/bin/python -m briefwatch.places

demo: setup
	$(VENV)/bin/briefwatch demo

# lint-imports: the dependency rule between the stages (pyproject.toml, [tool.importlinter]).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint
	$(VENV)/bin/pytest

# Extraction quality on the gold set of labelled sentences, false claims on ordinary news
# (per 1,000 articles), and story clustering on the labelled articles: precision and recall.
eval: setup
	$(VENV)/bin/python -m briefwatch.extract.evaluate
	$(VENV)/bin/python -m briefwatch.extract.newseval
	$(VENV)/bin/python -m briefwatch.stories.evaluate

# How fast a pass is, how close to the floor, how cost grows: one table, a few minutes
# (bench/README.md). Results: bench/results/*.json.
bench: setup
	$(VENV)/bin/python -m bench.run
	$(VENV)/bin/python -m bench.stories
	$(VENV)/bin/python -m bench.extraction
	$(VENV)/bin/python -m bench.web
	$(VENV)/bin/python -m bench.hostile

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache demo-run

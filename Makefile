# The two commands: `make run` and `make test`. Both set up .venv themselves, from the exact
# versions pinned in requirements.lock (`make lock` refreshes it from pyproject.toml's ranges).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint bench chromium lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q -e . --no-deps
	$(BIN)/python -m pip check
	touch $(STAMP)

# The newest versions inside pyproject.toml's ranges, resolved in a throwaway venv and pinned.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install -q --upgrade pip
	.lock-venv/bin/python -m pip install -q '.[dev]'
	{ echo "# Exact versions make run/test install; refresh with: make lock"; \
	  .lock-venv/bin/python -m pip freeze --exclude legday; } > requirements.lock
	rm -rf .lock-venv

run: $(STAMP)
	$(BIN)/legday demo --if-empty
	$(BIN)/streamlit run dashboard/app.py --server.port 8501 --server.address localhost

test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/roster.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/browser_roster.py
	$(BIN)/python bench/demo.py
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/checkin.py
	$(BIN)/python bench/writers.py

# Browser tests drive Debian's chromium; install it when missing and running as root.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

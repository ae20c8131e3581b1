# Each user-facing target creates .venv and installs the project first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/ncp-tracker demo

test: $(STAMP) browser-deps office-deps
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(VENV)/bin/ruff check .

eval: $(STAMP)
	$(PY) -m nlp.eval

# `make bench BENCH_ARGS="--scale-db bench-data/million.db"` reuses a million-item store from
# bench/gen_db.py (generating one takes 20 minutes or more); see bench/run_all.py --help
bench: $(STAMP)
	$(PY) bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data/demo.db data/demo-out

# Headless Chromium for tests/browser (Debian packages; never a downloaded browser).
.PHONY: browser-deps
browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	else \
		echo "browser tests need Chromium: run 'sudo apt-get install -y chromium chromium-driver' (or make browser-deps as root)"; \
	fi

# LibreOffice Writer (headless) opens the generated .docx drafts in tests/test_drafts.py (Debian packages).
.PHONY: office-deps
office-deps:
	@if command -v soffice >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y libreoffice-writer-nogui; \
	else \
		echo "the .docx test needs LibreOffice: run 'sudo apt-get install -y libreoffice-writer-nogui' (or make office-deps as root)"; \
	fi

# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test test-postgres install system-packages bench check clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: install
	PORT=$(PORT) $(BIN)/undersigned demo

# What the tests need from Debian: a browser for Playwright, Go's sumdb packages for the
# interoperability check, Noto CJK fonts for Chinese PDFs, poppler for pdftotext and OpenSSH's
# ssh-keygen to sign as a mission's script does.
# Installed only where missing, and only where we may (root with apt); tests that need a
# missing one skip with the reason.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v go >/dev/null || missing="$$missing golang-go"; \
	dpkg -s golang-golang-x-mod-dev >/dev/null 2>&1 || missing="$$missing golang-golang-x-mod-dev"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v ssh-keygen >/dev/null || missing="$$missing openssh-client"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    (apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1)) || \
	      echo "could not install:$$missing (the tests that need them will say so and skip)"; \
	  else echo "not installing:$$missing (needs root and apt); the tests that need them will skip"; fi; \
	fi

test: install system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL (DATABASE_URL must point at a server; .ci/run starts one).
test-postgres: install
	$(BIN)/python -m pytest -m "not browser and not interop" $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/sign_http.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/pages.py

# Lint, format, types and layers, then Django's deployment checks. The tools come with the test
# extra; their settings are in pyproject.toml.
check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=undersigned.example \
	  $(BIN)/undersigned manage check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var test-artifacts

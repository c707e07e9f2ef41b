# The two commands: `make run` starts the whole system on its embedded
# default, `make test` runs the tests. Both create .venv when it is missing
# and install the package with its dev extra into it.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test schema clean-var

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found; install it (Debian 12: apt-get install python3 python3-venv)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "$(PYTHON) is not Python 3.11; run: make $(MAKECMDGOALS) PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "creating $(VENV) failed; on Debian install the venv module: apt-get install python3-venv"; exit 1; }
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/tanggap run

test: $(STAMP)
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

schema: $(STAMP)
	$(VENV)/bin/tanggap export-schema > schema.graphql

# Deletes the development stack's database, broker data, logs and outbox.
clean-var:
	rm -rf var

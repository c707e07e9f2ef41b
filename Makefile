# The two commands: `make run` starts the whole system on its embedded
# default, `make test` runs the tests. Both create .venv when it is missing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test schema bench clean-var

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/tanggap run

test: $(STAMP)
	$(VENV)/bin/python -m pytest

schema: $(STAMP)
	$(VENV)/bin/tanggap export-schema > schema.graphql

clean-var:
	rm -rf var

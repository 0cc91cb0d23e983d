# Two commands on a fresh clone with only python3 and make: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

LS_VENV := .venv-ls
LS_STAMP := $(LS_VENV)/.installed-stamp

.PHONY: demo test venv ls-venv bench integration baseline clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/extractor extract corpus/ -o out/

test: $(STAMP)
	$(BIN)/python -m pytest -m "not integration"

# Label Studio lives in its own venv: it pins packages (numpy 2) the pipeline cannot share.
$(LS_STAMP):
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check label-studio==1.23.2 label-studio-sdk==2.1.2
	touch $@

ls-venv: $(LS_STAMP)

integration: $(STAMP) $(LS_STAMP)
	$(BIN)/python -m pytest -m integration tests/integration

bench: $(STAMP)
	$(BIN)/python scripts/bench.py --repeat 3

baseline: $(STAMP)
	$(BIN)/python scripts/update_baseline.py

clean:
	rm -rf out build dist .pytest_cache

# Livret — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test test-postgres lint format bench setup install lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# xstatic-bootstrap ships as a source package whose build imports pkg_resources: build it with
	# the venv's own setuptools (no isolated build environment), which needs wheel.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check wheel
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-build-isolation -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

setup: install
	$(BIN)/livret setup --demo

## make run: install, migrate SQLite, load every référentiel and the demo admin, start the server.
run: setup
	$(BIN)/livret serve --demo-accounts

## make test: the whole suite (browser tests included) on SQLite, or on $$DATABASE_URL when set.
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make bench: the référentiel engine and pages, the jury engine, then the hard case: a centre of
## 10,000 learners on PostgreSQL (its own throw-away database), in process and over HTTP.
bench: install
	$(BIN)/python -m tests.bench.run
	$(BIN)/python -m tests.bench.jury
	$(BIN)/python -m tests.bench.scale

## make lock: re-pin every dependency after changing pyproject.toml.
lock:
	rm -rf /tmp/livret-lock && $(PYTHON) -m venv /tmp/livret-lock
	/tmp/livret-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/livret-lock/bin/pip freeze --exclude-editable | sed '1i # Exact versions that CI tested. Regenerate with: make lock' > requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

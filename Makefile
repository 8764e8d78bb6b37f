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
## A Chromium for the browser tests first (got if missing, or a stop with the command to run);
## then, for the whole suite on SQLite, the PostgreSQL row-lock tests on a database of their own
## whenever PostgreSQL answers at $(LOCK_TESTS_DB).
LOCK_TESTS    = tests/competences/test_concurrency.py tests/periods/test_concurrency.py
LOCK_TESTS_DB ?= postgres://postgres@127.0.0.1:5432/livret_locks
test: install
	case '$(PYTEST_ARGS)' in *'not browser'*) ;; *) $(BIN)/python scripts/test_prerequisites.py chromium ;; esac
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -z "$$DATABASE_URL" ] && [ -z '$(PYTEST_ARGS)' ]; then \
	  if $(BIN)/python scripts/test_prerequisites.py postgres '$(LOCK_TESTS_DB)'; then \
	    echo "PostgreSQL answers: the row-lock tests on it ($(LOCK_TESTS_DB))"; \
	    DATABASE_URL='$(LOCK_TESTS_DB)' $(BIN)/python -m pytest -q $(LOCK_TESTS); \
	  else \
	    echo "No PostgreSQL at $(LOCK_TESTS_DB): the row-lock tests stay skipped (make test-postgres)"; \
	  fi; \
	fi

test-postgres: install
	case '$(PYTEST_ARGS)' in *'not browser'*) ;; *) $(BIN)/python scripts/test_prerequisites.py chromium ;; esac
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m livret.layers

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make bench: the référentiel engine and pages, the jury engine, then the hard case: a centre of
## 10,000 learners on PostgreSQL (its own throw-away database), in process and over HTTP, every
## figure beside its baseline of the same run. BENCH_PG_RESTART="<command>" makes cold = restarted.
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

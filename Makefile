# 社区共治平台 — `make run` serves the demo city, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.PHONY: install messages migrate seed collectstatic run serve test pytest lint check clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) scripts/build_catalog.py
	if command -v msgfmt >/dev/null; then msgfmt --check-format -o /dev/null locale/zh_Hans/LC_MESSAGES/django.po; fi

migrate: messages
	$(PY) manage.py migrate --no-input -v0

seed: migrate
	$(PY) manage.py seed_demo

collectstatic: install
	$(PY) manage.py collectstatic --no-input -v0

# Pages and WebSocket through daphne on $(HOST):$(PORT), the background-task worker beside it.
run: seed collectstatic
	VENV=$(VENV) HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

serve: install
	VENV=$(VENV) HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run -v1

# pytest exits 5 when it collected no test: that is a failure here too, as any non-zero exit is.
pytest: messages
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint pytest

check: install
	$(PY) manage.py check

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media static_collected .pytest_cache test-artifacts

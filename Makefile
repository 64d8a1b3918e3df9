# 社区共治平台 — `make run` serves the demo city, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.PHONY: install messages migrate seed run serve test pytest lint check clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

messages: install
	mkdir -p locale/zh_Hans/LC_MESSAGES
	msgcat --use-first i18n/zh_Hans/*.po -o locale/zh_Hans/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --locale=zh_Hans --ignore=.venv -v0

migrate: messages
	$(PY) manage.py migrate --no-input -v0

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py collectstatic --no-input -v0
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) portal.asgi:application

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run -v1

pytest: messages
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint pytest

clean:
	rm -rf $(VENV) db.sqlite3 media static_collected .pytest_cache

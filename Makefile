# Koersmonitor. `make run` and `make test` need only Python 3.11 on the machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev migrate demo lint format bench clean

run: install migrate demo  ## Set up, load the demo data and serve on http://127.0.0.1:8000 with the task worker
	@# The background worker (reports, publishing, imports) runs next to the web server
	@# and stops with it.
	$(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

test: install-dev  ## Set up and run the test suite (SQLite unless DATABASE_URL says otherwise)
	$(BIN)/python -m pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --verbosity 0

demo: migrate
	$(BIN)/python manage.py load_demo
	@# The closed periods' reports, published: the public pages (/openbaar/<organisatie>/)
	@# then show them with their open data. A second run leaves them as they are.
	$(BIN)/python manage.py publish --organisation Almelo --programme "Programma Zorg" --period "Midterm review 2020" --user controller
	$(BIN)/python manage.py publish --organisation Enschede --period "Tussenrapportage 2018" --user enschede-controller

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev  ## Print queries and timings of the overview (1,000 measures) and the reports
	$(BIN)/python bench/overview.py
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache .hypothesis

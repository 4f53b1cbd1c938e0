# Two commands on a fresh machine:  `make run`  (portal with demo data)  and  `make test`  (the whole suite).
PYTHON ?= python3
# Bytecode is cached in __pycache__ even where the shell says not to: the test suite starts dozens of processes.
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test setup setup-test system-deps system-deps-test migrate demo worker beat lint messages clean bench

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --no-compile -e '.[dev]'  # bytecode is written on first import, only for what is used
	touch $@

# axe-core for the browser tests' accessibility checks, from npm through the lock file (never a CDN).
AXE := tools/axe/node_modules/axe-core/axe.min.js
$(AXE): tools/axe/package.json tools/axe/package-lock.json
	cd tools/axe && npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	bash scripts/system-deps.sh runtime

system-deps-test:
	bash scripts/system-deps.sh test

setup: system-deps $(VENV)/.installed
	$(PY) manage.py compilemessages -v0 --ignore=.venv
	$(PY) manage.py migrate --noinput -v0

setup-test: system-deps-test $(VENV)/.installed $(AXE)
	$(PY) manage.py compilemessages -v0 --ignore=.venv

run: setup
	$(PY) manage.py load_demo
	@echo "พอร์ทัลพร้อมที่ http://$(HOST)/  ·  staff: http://$(HOST)/admin/"
	$(PY) manage.py runserver $(HOST)

test: setup-test
	bash scripts/test.sh

# Every benchmark, each figure beside its goal (BENCHMARKS.md); an hour or more, not part of CI.
bench: setup
	bash scripts/system-deps.sh bench
	$(PY) benchmarks/run_all.py

worker: setup
	$(VENV)/bin/celery -A portal worker -l info

beat: setup
	$(VENV)/bin/celery -A portal beat -l info

lint:
	$(VENV)/bin/ruff check .

messages:
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var test-artifacts

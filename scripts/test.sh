#!/usr/bin/env bash
# The whole suite: ruff, pytest on the embedded default (SQLite, in-process tasks), then pytest again on
# PostgreSQL + Redis (tests marked `services` start a real Celery worker there).
# Beside those two stages, from the start, a third pytest run on PostgreSQL takes the browser tests (marker e2e) and
# the heavy tests whose subject does not depend on the engine (marker once: API fuzzing, the harvests, migration
# round trips, the storage journey): one after another they mostly wait (for Chromium, for servers they start), and
# the stages keep the cores busy meanwhile. It has its own test database (test_browser) and cache keys; its output
# is printed at the end. The tests with a real Celery worker (marker services: they mostly wait for the processes
# they start) run there too; the `once` tests that keep a core busy all along (marker cpu: API fuzzing) run in
# the stage of their file's engine instead. Without PostgreSQL and Redis everything
# runs in the SQLite stage (CI requires both).
# Both stages run on TEST_WORKERS pytest-xdist processes (0 = one process; by default 2, but 1 for the SQLite stage
# beside the browser tests, see below); the real-worker tests (marker services) stay together on one of them
# (tests/conftest.py). A test that never opens the database runs only on SQLite; one that does runs on one engine,
# picked per file (TEST_ENGINES=split, the default with both stages, to stay within ten minutes), or on both with
# TEST_ENGINES=both.
# Extra arguments go to every pytest run, e.g. `bash scripts/test.sh -x tests/complaints`.
set -uo pipefail
cd "$(dirname "$0")/.."
# The suite starts dozens of Python processes (xdist workers, live servers, Celery workers, manage.py runs): with
# bytecode caching off (PYTHONDONTWRITEBYTECODE, set in some shells and images) each one compiles every module it
# imports again, seconds of a core apiece. Written once, __pycache__ (git-ignored) serves them all.
unset PYTHONDONTWRITEBYTECODE
PY=.venv/bin/python
status=0
WORKERS=${TEST_WORKERS:-2}
XDIST=(); [ "$WORKERS" != 0 ] && XDIST=(-n "$WORKERS" --dist loadgroup)
PG_URL=${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}
have_pg=0
pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && (command -v redis-cli >/dev/null && redis-cli -u "$REDIS" ping >/dev/null 2>&1) \
  && have_pg=1
# pytest's 5 is "no test selected" (extra arguments that pick no test of a stage): not a failure.
stage() { local t=$SECONDS; "$@"; local rc=$?; echo "   ($((SECONDS - t)) s)"; [ $rc = 5 ] && rc=0; return $rc; }

echo "== ruff =="
.venv/bin/ruff check . || status=1

echo "== docker-compose.yml =="
if command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1; then
  made_env=0; [ -f .env ] || { cp .env.example .env; made_env=1; }
  made_minio=0; [ -f minio.env ] || { cp minio.env.example minio.env; made_minio=1; }
  if docker compose version >/dev/null 2>&1; then docker compose config -q || status=1; else docker-compose config -q || status=1; fi
  [ $made_env = 1 ] && rm -f .env
  [ $made_minio = 1 ] && rm -f minio.env
else
  echo "docker compose not installed: not validated" >&2
  [ "${CI:-}" = "true" ] && status=1
fi

echo "== makemigrations --check =="
env -u DATABASE_URL -u REDIS_URL $PY manage.py makemigrations --check --dry-run -v0 || status=1

# With both stages, each test that opens the database runs on one of the two engines (tests/conftest.py); set
# TEST_ENGINES=both to run every one on both.
[ $have_pg = 1 ] && export TEST_ENGINES=${TEST_ENGINES:-split}
# With both stages the groups (browser tests, real-worker tests) run in the process beside them, so the stages' workers
# steal each other's queued tests: no worker idles at the end while the other still holds a long queue.
# With the process beside running, a stage takes one worker unless TEST_WORKERS says otherwise: on two cores, two
# stage workers, the process beside and its browser are more processes than cores, and the suite then spends more
# CPU in all (measured: 790 s with two workers, 674 s with one; BENCHMARKS.md). The PostgreSQL stage, which starts
# when the process beside is nearly done, takes two.
[ $have_pg = 1 ] && [ "$WORKERS" != 0 ] && XDIST=(-n "$WORKERS" --dist worksteal)
SQLITE_XDIST=("${XDIST[@]}")
[ $have_pg = 1 ] && [ -z "${TEST_WORKERS:-}" ] && SQLITE_XDIST=(-n 1 --dist worksteal)

BROWSER_LOG=$(mktemp); browser_pid=
if [ $have_pg = 1 ]; then
  stage env DATABASE_URL=$PG_URL REDIS_URL=$REDIS TEST_STAGE=second TEST_DATABASE_NAME=test_browser \
    TEST_CACHE_PREFIX=browser $PY -m pytest -q -m "e2e or services or (once and not cpu)" "$@" >"$BROWSER_LOG" 2>&1 &
  browser_pid=$!
fi

echo "== pytest: SQLite, tasks in-process =="
ONCE=(); [ $have_pg = 1 ] && ONCE=(-m "not e2e and (not once or cpu)")  # the others run in the process beside
stage env -u DATABASE_URL -u REDIS_URL $PY -m pytest -q "${SQLITE_XDIST[@]}" "${ONCE[@]}" "$@" || status=1

if [ $have_pg = 1 ]; then
  echo "== pytest: PostgreSQL + Redis + Celery worker =="
  stage env DATABASE_URL=$PG_URL REDIS_URL=$REDIS TEST_STAGE=second $PY -m pytest -q "${XDIST[@]}" \
    -m "not e2e and not services and (not once or cpu)" "$@" || status=1
  echo "== pytest: browser tests and the heavy engine-independent ones, on PostgreSQL (started with the SQLite stage) =="
  wait "$browser_pid" || status=1
  cat "$BROWSER_LOG"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL or Redis not reachable on 127.0.0.1: the second stage cannot run" >&2
  status=1
else
  echo "!! PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) not running: second stage skipped" >&2
fi
rm -f "$BROWSER_LOG"
echo "== total: $SECONDS s =="
exit $status

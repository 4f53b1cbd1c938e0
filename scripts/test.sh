#!/usr/bin/env bash
# The whole suite: ruff, the compose file, `makemigrations --check`, then pytest three times at once: on the embedded
# default (SQLite, in-process tasks), on PostgreSQL + Redis (tests marked `services` start a real Celery worker
# there), and the browser tests (marker e2e) on PostgreSQL in a process of their own (test database test_browser,
# cache keys of their own). Each run's output is printed when all three are done.
# The two stages run on TEST_WORKERS pytest-xdist processes (default 2; 0 = one process); the real-worker tests
# (marker services) stay together on one of them (tests/conftest.py). Some tests run once: the heavy
# engine-independent ones (marker once) on PostgreSQL; a test that never opens the database only on SQLite. Without
# PostgreSQL and Redis on 127.0.0.1 everything runs in the SQLite stage (CI requires both).
# Extra arguments go to every pytest run, e.g. `bash scripts/test.sh -x tests/complaints`.
set -uo pipefail
cd "$(dirname "$0")/.."
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

# With PostgreSQL, the three pytest runs go at once, each with its output in a file printed when all are done: the
# PostgreSQL stage spends much of its time waiting for the database and the browser tests for Chromium, so one run
# after another left a core idle for minutes. Without PostgreSQL, the SQLite stage runs alone and takes everything.
SQLITE=(env -u DATABASE_URL -u REDIS_URL $PY -m pytest -q "${XDIST[@]}")
PG=(env DATABASE_URL=$PG_URL REDIS_URL=$REDIS TEST_STAGE=second)
if [ $have_pg = 1 ]; then
  logs=(); pids=(); names=()
  start() { local name=$1; shift; local log; log=$(mktemp); stage "$@" >"$log" 2>&1 & pids+=($!); logs+=("$log")
            names+=("$name"); }
  start "pytest: SQLite, tasks in-process" "${SQLITE[@]}" -m "not e2e and not once" "$@"
  start "pytest: PostgreSQL + Redis + Celery worker" "${PG[@]}" $PY -m pytest -q "${XDIST[@]}" -m "not e2e" "$@"
  start "pytest: browser tests on PostgreSQL" "${PG[@]}" TEST_DATABASE_NAME=test_browser TEST_CACHE_PREFIX=browser \
    $PY -m pytest -q -m e2e "$@"
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || status=1
    echo "== ${names[$i]} =="
    cat "${logs[$i]}"
    rm -f "${logs[$i]}"
  done
else
  echo "== pytest: SQLite, tasks in-process (browser tests included) =="
  stage "${SQLITE[@]}" "$@" || status=1
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL or Redis not reachable on 127.0.0.1: the second stage cannot run" >&2
    status=1
  else
    echo "!! PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) not running: second stage skipped" >&2
  fi
fi
echo "== total: $SECONDS s =="
exit $status

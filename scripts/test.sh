#!/usr/bin/env bash
# The whole suite: ruff, pytest on the embedded default (SQLite, in-process tasks), then pytest again on
# PostgreSQL + Redis (tests marked `services` start a real Celery worker there).
# Both pytest stages run on TEST_WORKERS pytest-xdist processes (default 2; 0 = one process); the browser
# tests (marker e2e) and the real-worker tests (marker services) each stay together on one of them
# (tests/conftest.py). Some tests run once: the browser tests and the heavy engine-independent ones (marker once)
# on PostgreSQL, or on SQLite when PostgreSQL is not there; a test that never opens the database only on SQLite.
# Extra arguments go to both pytest runs, e.g. `bash scripts/test.sh -x tests/complaints`.
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
stage() { local t=$SECONDS; "$@"; local rc=$?; echo "   ($((SECONDS - t)) s)"; return $rc; }

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

echo "== pytest: SQLite, tasks in-process =="
ONCE=(); [ $have_pg = 1 ] && ONCE=(-m "not e2e and not once")  # these run in the PostgreSQL stage
stage env -u DATABASE_URL -u REDIS_URL $PY -m pytest -q "${XDIST[@]}" "${ONCE[@]}" "$@" || status=1

if [ $have_pg = 1 ]; then
  echo "== pytest: PostgreSQL + Redis + Celery worker, browser tests =="
  stage env DATABASE_URL=$PG_URL REDIS_URL=$REDIS TEST_STAGE=second $PY -m pytest -q "${XDIST[@]}" "$@" || status=1
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL or Redis not reachable on 127.0.0.1: the second stage cannot run" >&2
  status=1
else
  echo "!! PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) not running: second stage skipped" >&2
fi
echo "== total: $SECONDS s =="
exit $status

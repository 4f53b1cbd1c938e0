#!/usr/bin/env bash
# Organization home page under gunicorn (2 workers) + PostgreSQL, 32 connections (wrk), beside a bare Django view
# returning the same bytes.  Usage: [BENCH_DB=portal_bench] bash benchmarks/org_home.sh [seconds]
# (the database is dropped and made again from migrate + load_demo)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-15}
PORT=${BENCH_PORT:-8765}
DB=${BENCH_DB:-portal_bench}
export DJANGO_SETTINGS_MODULE=benchmarks.settings DJANGO_DEBUG=0 SECRET_KEY=bench-only-secret-key-0123456789abcdefghijklmnop \
  PERSONAL_ID_HASH_KEY=bench-only-personal-id-key
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export BENCH_BODY_FILE=$(mktemp)
bash scripts/system-deps.sh bench
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" postgres
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_demo >/dev/null
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn portal.wsgi:application --workers 2 --bind 127.0.0.1:$PORT --log-level warning &
GPID=$!
trap 'kill $GPID 2>/dev/null; rm -f $BENCH_BODY_FILE' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:$PORT/healthz && break; sleep 0.2; done
curl -sf http://127.0.0.1:$PORT/khamyai/ -o "$BENCH_BODY_FILE"
[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/__bare/same-bytes)" = 200 ]
echo "page bytes: $(wc -c < "$BENCH_BODY_FILE")"
for url in /khamyai/ /__bare/same-bytes; do
  wrk -t2 -c32 -d3s http://127.0.0.1:$PORT$url >/dev/null 2>&1 || true  # warm-up
  printf '%-22s ' "$url"
  wrk -t2 -c32 -d${DUR}s -s benchmarks/p95.lua http://127.0.0.1:$PORT$url | grep RESULT
done

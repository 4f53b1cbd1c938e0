#!/usr/bin/env bash
# Complaint submission throughput: Open311 POST /requests.json (full path: API key, validation, SLA with holidays,
# tracking code, timeline row) versus a bare Django view inserting one row, both under gunicorn (2 sync workers)
# + PostgreSQL, 32 concurrent clients with wrk.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/complaints_bench bash benchmarks/complaints_submit.sh
# (run migrate + load_demo on that database first)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database with load_demo applied}"
DURATION=${DURATION:-20s}
PORT=${PORT:-8765}
export DJANGO_SETTINGS_MODULE=benchmarks.complaints_bench_settings DJANGO_DEBUG=0 SECRET_KEY=bench-only-secret-key-0123456789abcdefghij \
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 RATELIMIT_ENABLE=0 LOG_LEVEL=ERROR PYTHONPATH=.
PY=.venv/bin/python
psql "$DATABASE_URL" -qc "CREATE TABLE IF NOT EXISTS bench_bare_insert (id bigserial PRIMARY KEY, body text, created timestamptz)"
export API_KEY=$($PY manage.py create_api_key --org khamyai --name bench 2>/dev/null | tail -1)
.venv/bin/gunicorn portal.wsgi:application -w 2 -b 127.0.0.1:$PORT --log-level error &
GPID=$!
trap 'kill $GPID' EXIT
sleep 3
curl -sf -o /dev/null -X POST "http://127.0.0.1:$PORT/bench/bare-insert/" -d description=warm
echo "== bare Django view inserting one row"
wrk -t2 -c32 -d"$DURATION" -s benchmarks/complaints_submit.lua "http://127.0.0.1:$PORT/bench/bare-insert/"
echo "== Open311 POST /open311/v2/requests.json (complaint submission)"
wrk -t2 -c32 -d"$DURATION" -s benchmarks/complaints_submit.lua "http://127.0.0.1:$PORT/open311/v2/requests.json"

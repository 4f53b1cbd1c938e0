#!/usr/bin/env bash
# A taxpayer's bill page (computation, instalments, Thai QR as an inline PNG) under gunicorn (2 workers) +
# PostgreSQL, 32 connections (wrk), beside a bare Django view returning the same bytes (benchmarks/urls.py).
# The session comes from a real lookup (bill number + last four ID digits) of a demo bill.
# Usage: bash benchmarks/taxpay_bill.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-15}
PORT=${BENCH_PORT:-8766}
DB=taxpay_page_bench
VENV=${VENV:-.venv}
export DJANGO_SETTINGS_MODULE=benchmarks.settings DJANGO_DEBUG=0 SECRET_KEY=bench-only-secret-key-0123456789abcdefghijklmnop
export PERSONAL_ID_HASH_KEY=bench-only-personal-id-key
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export BENCH_BODY_FILE=$(mktemp)
JAR=$(mktemp)
bash scripts/system-deps.sh bench
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" postgres
$VENV/bin/python manage.py migrate -v0
SAMPLE=$($VENV/bin/python manage.py load_demo | grep "taxpay khamyai:")
NUMBER=$(echo "$SAMPLE" | sed -E 's/.*bill ([A-Z0-9]+),.*/\1/')
LAST4=$(echo "$SAMPLE" | sed -E 's/.*last four ([0-9]{4}).*/\1/')
$VENV/bin/python manage.py collectstatic --noinput -v0
$VENV/bin/gunicorn portal.wsgi:application --workers 2 --bind 127.0.0.1:$PORT --log-level warning &
GPID=$!
trap 'kill $GPID 2>/dev/null; rm -f $BENCH_BODY_FILE $JAR' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:$PORT/healthz && break; sleep 0.2; done
BASE=http://127.0.0.1:$PORT/khamyai/tax/
TOKEN=$(curl -sf -c "$JAR" "$BASE" | sed -nE 's/.*name="csrfmiddlewaretoken" value="([^"]+)".*/\1/p' | head -1)
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -c "$JAR" -e "$BASE" \
     --data-urlencode "csrfmiddlewaretoken=$TOKEN" --data-urlencode "number=$NUMBER" \
     --data-urlencode "id_last4=$LAST4" "$BASE")" = 302 ]
COOKIE=$(awk '$6 ~ /^(sessionid|csrftoken|taxpay_bills)$/ {printf "%s=%s; ", $6, $7}' "$JAR")
URL=/khamyai/tax/bill/$NUMBER/
curl -sf -H "Cookie: $COOKIE" http://127.0.0.1:$PORT$URL -o "$BENCH_BODY_FILE"
grep -q 'id="bill-qr"' "$BENCH_BODY_FILE"
[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/__bare/same-bytes)" = 200 ]
echo "bill $NUMBER, page bytes: $(wc -c < "$BENCH_BODY_FILE")"
for url in $URL /__bare/same-bytes; do
  wrk -t2 -c32 -d3s -H "Cookie: $COOKIE" http://127.0.0.1:$PORT$url >/dev/null 2>&1 || true  # warm-up
  printf '%-40s ' "$url"
  wrk -t2 -c32 -d${DUR}s --timeout 10s -H "Cookie: $COOKIE" -s benchmarks/p95.lua http://127.0.0.1:$PORT$url | grep RESULT
done

#!/usr/bin/env bash
# Complaint submission throughput: Open311 POST /requests.json (full path: API key, validation, SLA with holidays,
# tracking code) versus a bare Django view inserting one comparable row (benchmarks/complaints_bench_urls.py), both
# under the same gunicorn (2 sync workers, DJANGO_DEBUG=0, same middleware) + PostgreSQL, 32 concurrent clients
# with wrk. Rate limiting is off for the run only (RATELIMIT_ENABLE=0).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/complaints_bench bash benchmarks/complaints_submit.sh
#   (run migrate + load_demo on that database first; RUNS=3 DURATION=20s by default)
#
# Each run measures bare then Open311 back to back and prints the load average before it; the last line is the
# median over the runs. wrk, gunicorn and PostgreSQL share the machine: run it when nothing else does.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database with load_demo applied}"
DURATION=${DURATION:-20s}
RUNS=${RUNS:-3}
PORT=${PORT:-8765}
export DJANGO_SETTINGS_MODULE=benchmarks.complaints_bench_settings DJANGO_DEBUG=0 SECRET_KEY=bench-only-secret-key-0123456789abcdefghij PERSONAL_ID_HASH_KEY=bench-only-personal-id-key \
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 RATELIMIT_ENABLE=0 LOG_LEVEL=ERROR PYTHONPATH=.
PY=.venv/bin/python
psql "$DATABASE_URL" -qc "DROP TABLE IF EXISTS bench_bare_insert" \
  -c "CREATE TABLE bench_bare_insert (LIKE complaints_complaint INCLUDING DEFAULTS INCLUDING IDENTITY)" \
  -c "ALTER TABLE bench_bare_insert ADD PRIMARY KEY (id)"
$PY manage.py collectstatic --noinput -v0  # the form page links its CSS through the manifest
export API_KEY=$($PY manage.py create_api_key --org khamyai --name bench 2>/dev/null | tail -1)
.venv/bin/gunicorn portal.wsgi:application -w 2 -b 127.0.0.1:$PORT --log-level error 2>/dev/null &
GPID=$!
trap 'kill $GPID; psql "$DATABASE_URL" -qc "DROP TABLE IF EXISTS bench_bare_insert"' EXIT
sleep 3
for url in /bench/bare-insert/ /open311/v2/requests.json; do  # warm both paths in both workers
  wrk -t2 -c4 -d2s -s benchmarks/complaints_submit.lua "http://127.0.0.1:$PORT$url" >/dev/null
done
# The citizen web form: one CSRF cookie/token pair from the form page serves every request.
JAR=$(mktemp)
FORM=$(curl -sf -D "$JAR" "http://127.0.0.1:$PORT/khamyai/complaints/new/")
export CSRF_TOKEN=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' <<<"$FORM" | head -1 | sed 's/.*value="//; s/"$//')
# Read from Set-Cookie: the production-mode cookie is Secure, which curl's cookie jar refuses over plain HTTP.
export CSRF_COOKIE=$(grep -io 'set-cookie: csrftoken=[^;]*' "$JAR" | head -1 | sed 's/.*csrftoken=//')
export CATEGORY_ID=$($PY manage.py shell --no-imports -c "from complaints.models import Category; print(Category.objects.get(organization__slug='khamyai', code='street_light').pk)")
rm -f "$JAR"
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "csrftoken=$CSRF_COOKIE" --data "csrfmiddlewaretoken=$CSRF_TOKEN&category=$CATEGORY_ID&description=test&latitude=16.5931&longitude=103.2321" "http://127.0.0.1:$PORT/khamyai/complaints/new/")" = 302 ] \
  || { echo "the web form did not accept the benchmark's POST" >&2; exit 1; }
wrk -t2 -c4 -d2s -s benchmarks/complaints_webform.lua "http://127.0.0.1:$PORT/khamyai/complaints/new/" >/dev/null
RESULTS=$(mktemp)
for run in $(seq "$RUNS"); do
  echo "== run $run, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  bare=$(wrk -t2 -c32 -d"$DURATION" -s benchmarks/complaints_submit.lua "http://127.0.0.1:$PORT/bench/bare-insert/" | grep RESULT)
  echo "bare insert  $bare"
  full=$(wrk -t2 -c32 -d"$DURATION" -s benchmarks/complaints_submit.lua "http://127.0.0.1:$PORT/open311/v2/requests.json" | grep RESULT)
  echo "open311 POST $full"
  web=$(wrk -t2 -c32 -d"$DURATION" -s benchmarks/complaints_webform.lua "http://127.0.0.1:$PORT/khamyai/complaints/new/" | grep RESULT)
  echo "web form     $web"
  echo "$bare $full $web" >> "$RESULTS"
done
$PY - "$RESULTS" <<'PY'
import re, statistics, sys
pairs = []
for line in open(sys.argv[1]):
    values = re.findall(r"rps=([\d.]+).*?p95_ms=([\d.]+)", line)
    (bare_rps, bare_p95), (full_rps, full_p95), (web_rps, web_p95) = [(float(a), float(b)) for a, b in values]
    pairs.append((full_rps / bare_rps, bare_rps, bare_p95, full_rps, full_p95, web_rps / bare_rps, web_rps, web_p95))
for ratio, *rest in pairs:
    print(f"run: ratio {ratio:.2f}  bare {rest[0]:.0f} req/s p95 {rest[1]:.1f} ms  open311 {rest[2]:.0f} req/s p95 "
          f"{rest[3]:.1f} ms  |  web form ratio {rest[4]:.2f}, {rest[5]:.0f} req/s p95 {rest[6]:.1f} ms")
median = sorted(pairs)[len(pairs) // 2]
web = sorted(pairs, key=lambda p: p[5])[len(pairs) // 2]
print(f"MEDIAN ratio {median[0]:.2f} (bare {median[1]:.0f} req/s p95 {median[2]:.1f} ms; "
      f"open311 {median[3]:.0f} req/s p95 {median[4]:.1f} ms)")
print(f"MEDIAN web-form ratio {web[5]:.2f} (web form {web[6]:.0f} req/s p95 {web[7]:.1f} ms)")
PY
rm -f "$RESULTS"

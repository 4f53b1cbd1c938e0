#!/usr/bin/env bash
# Queue booking throughput: POST /api/queue/bookings/ (validation, slot checks with closures and holidays, the
# conditional UPDATE on the slot, the day's ticket counter, the booking row, the outbox row) versus the complaints
# harness's bare one-row insert view (benchmarks/complaints_bench_urls.py), same gunicorn (2 sync workers,
# DJANGO_DEBUG=0, same middleware) + PostgreSQL, 32 concurrent clients with wrk. Then 200 concurrent bookers on one
# slot with 7 places through the same gunicorn (benchmarks/eservice_race.py).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/eservice_bench bash benchmarks/eservice_booking.sh
#   (run migrate + load_demo on that database first; RUNS=3 DURATION=20s by default)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database with load_demo applied}"
DURATION=${DURATION:-20s}
RUNS=${RUNS:-3}
PORT=${PORT:-8766}
export DJANGO_SETTINGS_MODULE=benchmarks.eservice_bench_settings DJANGO_DEBUG=0 SECRET_KEY=bench-only-secret-key-0123456789abcdefghij \
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 RATELIMIT_ENABLE=0 LOG_LEVEL=ERROR PYTHONPATH=. \
  PERSONAL_ID_HASH_KEY=bench-only-hash-key
PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
psql "$DATABASE_URL" -qc "DROP TABLE IF EXISTS bench_bare_insert" \
  -c "CREATE TABLE bench_bare_insert (LIKE complaints_complaint INCLUDING DEFAULTS INCLUDING IDENTITY)" \
  -c "ALTER TABLE bench_bare_insert ADD PRIMARY KEY (id)"
# Slots with room for the whole run, on 10 different days of one queue (a ticket counter per day, as in real use).
export SLOT_IDS=$($PY manage.py shell --no-imports -c "
import datetime as dt
from django.utils import timezone
from eservice.queues import selectors, services
from eservice.models import Queue, Slot
queue = Queue.objects.get(organization__slug='khamyai', code='finance')
days = [d for d, is_open in selectors.bookable_days(queue, timezone.localdate()) if is_open][2:12]
ids = [services.ensure_slots(queue=queue, day=d)[0].pk for d in days]
Slot.objects.filter(pk__in=ids).update(capacity=32000)
print(','.join(map(str, ids)))" | tail -1)
GLOG=$(mktemp)
$GUNICORN portal.wsgi:application -w 2 -b 127.0.0.1:$PORT --log-level error 2>"$GLOG" &
GPID=$!
trap 'kill $GPID; psql "$DATABASE_URL" -qc "DROP TABLE IF EXISTS bench_bare_insert"' EXIT
sleep 12  # gunicorn boots slowly on a busy machine
for url in /bench/bare-insert/ /api/queue/bookings/; do
  wrk -t2 -c4 -d2s -s benchmarks/eservice_booking.lua "http://127.0.0.1:$PORT$url" >/dev/null
done
RESULTS=$(mktemp)
for run in $(seq "$RUNS"); do
  echo "== run $run, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  bare=$(wrk -t2 -c32 -d"$DURATION" -s benchmarks/eservice_booking.lua "http://127.0.0.1:$PORT/bench/bare-insert/" | grep RESULT)
  echo "bare insert $bare"
  book=$(wrk -t2 -c32 -d"$DURATION" -s benchmarks/eservice_booking.lua "http://127.0.0.1:$PORT/api/queue/bookings/" | grep RESULT)
  echo "booking     $book"
  echo "$bare $book" >> "$RESULTS"
done
$PY - "$RESULTS" <<'PY'
import re, sys
rows = []
for line in open(sys.argv[1]):
    counts = [(int(n), int(bad)) for n, bad in re.findall(r"requests=(\d+) non2xx=(\d+)", line)]
    # A baseline answering errors (e.g. a column added to complaints) would make the ratio a lie; a rare 409 (two
    # random phone numbers alike in one slot) is fine.
    if any(bad > n / 100 for n, bad in counts):
        sys.exit(f"non-2xx answers (requests, non-2xx: bare, booking) = {counts}: fix the failing side first")
    (b_rps, b_p95), (q_rps, q_p95) = [(float(a), float(b)) for a, b in re.findall(r"rps=([\d.]+).*?p95_ms=([\d.]+)", line)]
    rows.append((q_rps / b_rps, b_rps, b_p95, q_rps, q_p95))
for r in rows:
    print(f"run: ratio {r[0]:.2f}  bare {r[1]:.0f} req/s p95 {r[2]:.1f} ms  booking {r[3]:.0f} req/s p95 {r[4]:.1f} ms")
m = sorted(rows)[len(rows) // 2]
print(f"MEDIAN ratio {m[0]:.2f} (bare {m[1]:.0f} req/s p95 {m[2]:.1f} ms; booking {m[3]:.0f} req/s p95 {m[4]:.1f} ms)")
PY
rm -f "$RESULTS"
$PY benchmarks/eservice_race.py "http://127.0.0.1:$PORT"
echo "server errors logged: $(grep -c 'Traceback' "$GLOG" || true)"; grep -m3 -A0 'Error' "$GLOG" || true
rm -f "$GLOG"

"""200 concurrent bookers on one slot with N places against a running server (gunicorn in eservice_booking.sh):
exactly N bookings, the rest 409, no 5xx, ticket numbers unique and without gaps for the queue's day.

    DATABASE_URL=... DJANGO_SETTINGS_MODULE=benchmarks.eservice_bench_settings python benchmarks/eservice_race.py URL
"""

import collections
import datetime as dt
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.eservice_bench_settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from eservice.models import Booking, OpeningHours, Queue  # noqa: E402
from eservice.queues import selectors, services  # noqa: E402
from portal.models import Organization  # noqa: E402

BOOKERS, PLACES = 200, 7
base = sys.argv[1].rstrip("/")
org = Organization.objects.get(slug="khamyai")
queue, _ = Queue.objects.get_or_create(organization=org, code="race", defaults={
    "name_th": "คิวทดสอบการแย่งจอง", "letter": "ร", "places_per_slot": PLACES, "lead_time_minutes": 0})
if not queue.hours.exists():
    OpeningHours.objects.bulk_create([OpeningHours(queue=queue, weekday=d, opens=dt.time(8, 0), closes=dt.time(16, 0))
                                      for d in range(7)])
# The first working day after today on the queue's own calendar (weekends are open here, but a public holiday, a
# substitution day or an office closure is not): always a day with slots, whatever the date of the run.
today = timezone.localdate()
day = next(d for d, is_open in selectors.bookable_days(queue, today) if is_open and d > today)
Booking.objects.filter(queue=queue).delete()
from eservice.models import DayCounter, Slot  # noqa: E402

Slot.objects.filter(queue=queue).delete()
DayCounter.objects.filter(queue=queue).delete()
slot = services.ensure_slots(queue=queue, day=day)[0]

barrier = threading.Barrier(BOOKERS)
codes, tickets, lock = collections.Counter(), [], threading.Lock()


def book(i):
    body = json.dumps({"slot": slot.pk, "name": f"ผู้จอง {i}", "phone": f"08{i:08d}"}).encode()
    request = urllib.request.Request(f"{base}/api/queue/bookings/", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    barrier.wait()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, payload = response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, None
    with lock:
        codes[status] += 1
        if payload:
            tickets.append(payload["ticket"])


started = time.perf_counter()
threads = [threading.Thread(target=book, args=(i,)) for i in range(BOOKERS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - started
numbers = sorted(Booking.objects.filter(queue=queue, date=day).values_list("number", flat=True))
ok = (codes[201] == PLACES and codes[409] == BOOKERS - PLACES and not any(c >= 500 for c in codes)
      and numbers == list(range(1, PLACES + 1)) and len(set(tickets)) == PLACES)
print(f"RACE {BOOKERS} bookers, {PLACES} places: {dict(codes)} in {elapsed:.2f} s; tickets {sorted(tickets)}; "
      f"numbers {numbers}; {'OK' if ok else 'FAILED'}")
sys.exit(0 if ok else 1)

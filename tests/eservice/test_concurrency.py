"""200 concurrent bookers on one slot with N places against PostgreSQL: exactly N bookings, the rest 409, no 5xx,
ticket numbers unique and without gaps per queue and day.

Two parts, both really concurrent:
- over HTTP, the 200 requests all in flight at once against gunicorn (threaded workers, a listen backlog that
  holds them all) on a spare port, reading and writing the test database;
- through the booking service itself, from as many threads as there are database connections to spare, each with
  its own connection, so the row locks see many transactions at the same moment.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection, transaction

from tests.services import ROOT, free_port, uses_postgres

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BOOKERS = 200
PLACES = 7
# gunicorn: 2 processes x 8 threads = 16 database connections; the other 184 requests wait in the listen backlog.
WORKERS, THREADS = 2, 8
# Service part: one database connection per thread (PostgreSQL's connection limit is shared with the server).
SERVICE_THREADS = 40


def _post(url, payload):
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError as exc:  # no answer at all: counted, and shown by the assertion on the codes
        return 0, repr(exc)


class Gunicorn:
    """gunicorn serving the portal from the test database on a spare port (threaded workers, big backlog)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(mode="w+", suffix=".log")
        self.proc = None

    def __enter__(self):
        db = settings.DATABASES["default"]
        env = {**os.environ,
               "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
                               f"{db['PORT'] or 5432}/{db['NAME']}",
               "QUEUE_API_BOOKING_RATE": "100000/min", "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-k", "gthread", "-w", str(WORKERS),
             "--threads", str(THREADS), "--backlog", "2048", "-b", f"127.0.0.1:{self.port}", "--timeout", "120",
             "--log-level", "error"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 90  # boots slowly on a busy machine
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.output()}")
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=5).close()
                return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def __exit__(self, *exc):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _race(targets, run):
    """Start every (key, args) target in its own thread at one instant; collect (key, outcome)."""
    start = threading.Barrier(len(targets))
    results, lock = [], threading.Lock()

    def body(key, args):
        start.wait()
        outcome = run(*args)
        with lock:
            results.append((key, outcome))

    threads = [threading.Thread(target=body, args=target) for target in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return results


def _check_day(queue, day, expected_total):
    from eservice.models import Booking

    numbers = sorted(Booking.objects.filter(queue=queue, date=day).values_list("number", flat=True))
    assert numbers == list(range(1, expected_total + 1))  # unique, no gaps
    tickets = list(Booking.objects.filter(queue=queue, date=day).values_list("ticket", flat=True))
    assert len(set(tickets)) == expected_total


@pytest.fixture
def postgres_only():
    if not uses_postgres():
        pytest.skip("the concurrency test runs on PostgreSQL (DATABASE_URL)")


def test_two_hundred_bookers_at_once_over_http(postgres_only):
    from eservice.models import Slot
    from tests.portal.factories import OrganizationFactory

    from .factories import QueueFactory, future_slot

    # Two hundred citizens, all from the test's one address: the per-address daily allowance is lifted.
    queue = QueueFactory(organization=OrganizationFactory(), places_per_slot=PLACES, max_per_client_day=1000)
    slot = future_slot(queue)
    other = future_slot(queue, hour=10)  # bookings in another slot of the same day share the ticket counter
    with Gunicorn() as server:
        url = f"{server.url}/api/queue/bookings/"
        targets = [(slot.pk, (url, {"slot": slot.pk, "name": f"ผู้จอง {i}", "phone": f"08{i:08d}"}))
                   for i in range(BOOKERS)]
        targets += [(other.pk, (url, {"slot": other.pk, "name": f"ผู้จอง {i}", "phone": f"08{i:08d}"}))
                    for i in range(1000, 1020)]
        results = _race(targets, _post)
        log = server.output()

    on_slot = [outcome for slot_id, outcome in results if slot_id == slot.pk]
    codes = sorted(code for code, _ in on_slot)
    assert len(codes) == BOOKERS
    assert codes.count(201) == PLACES and codes.count(409) == BOOKERS - PLACES, codes
    # Every phone is different: a refusal other than "full" would be a lost race (e.g. a duplicate ticket number).
    refusals = {json.loads(body)["detail"] for code, body in on_slot if code == 409}
    assert len(refusals) == 1 and "เต็ม" in refusals.pop()
    assert "Traceback" not in log, log[-3000:]
    slot.refresh_from_db()
    assert slot.booked == PLACES == slot.bookings.count()
    other_created = sum(1 for slot_id, (code, _) in results if slot_id == other.pk and code == 201)
    assert other_created == queue.places_per_slot == Slot.objects.get(pk=other.pk).booked
    assert len({body["ticket"] for code, body in on_slot if code == 201}) == PLACES
    _check_day(queue, slot.date, PLACES + other_created)


def test_many_transactions_on_one_slot_through_the_booking_service(postgres_only):
    from eservice.queues import services
    from tests.portal.factories import OrganizationFactory

    from .factories import QueueFactory, future_slot

    queue = QueueFactory(organization=OrganizationFactory(), places_per_slot=PLACES)
    slot = future_slot(queue)
    other = future_slot(queue, hour=11)

    def book(slot_id, i):
        try:
            services.book(slot_id=slot_id, name=f"ผู้จอง {i}", phone=f"08{i:08d}", confirm=i % 2 == 0)
            return "booked"
        except services.SlotUnavailable as exc:
            # Every phone is different: the only right refusal is "full" (not a lost race on the ticket number).
            return "refused" if "เต็ม" in exc.message else exc.message
        except Exception as exc:  # anything else (a deadlock, a unique violation) fails the test below
            return repr(exc)
        finally:
            connection.close()

    half = SERVICE_THREADS // 2
    targets = [(slot.pk, (slot.pk, i)) for i in range(half + PLACES)]
    targets += [(other.pk, (other.pk, 5000 + i)) for i in range(SERVICE_THREADS - len(targets))]
    results = _race(targets, book)

    outcomes = [outcome for slot_id, outcome in results if slot_id == slot.pk]
    assert sorted(set(outcomes)) == ["booked", "refused"], outcomes
    assert outcomes.count("booked") == PLACES
    other_outcomes = [outcome for slot_id, outcome in results if slot_id == other.pk]
    assert set(other_outcomes) <= {"booked", "refused"}, other_outcomes
    assert other_outcomes.count("booked") == PLACES
    slot.refresh_from_db()
    other.refresh_from_db()
    assert slot.booked == other.booked == PLACES
    _check_day(queue, slot.date, 2 * PLACES)


def test_a_second_booking_for_the_same_phone_waits_for_the_first_and_is_counted(postgres_only):
    """Two requests for one phone on two connections: the second waits for the first to commit, then finds the
    phone's day used up (without the phone's lock its statement would not see the first booking and both pass)."""
    from eservice.queues import services
    from tests.portal.factories import OrganizationFactory

    from .factories import QueueFactory, future_slot

    queue = QueueFactory(organization=OrganizationFactory(), places_per_slot=5, max_per_phone_day=1)
    first, second = future_slot(queue), future_slot(queue, hour=10)
    booked, outcome = threading.Event(), {}

    def hold_then_commit():
        try:
            with transaction.atomic():
                services.book(slot_id=first.pk, name="ก", phone="0891234567", confirm=False)
                booked.set()
                # Commit only once the other booking is seen waiting on a lock (or after 10 s without it).
                with connection.cursor() as cursor:
                    for _ in range(100):
                        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                        if cursor.fetchone()[0]:
                            break
                        time.sleep(0.1)
        finally:
            booked.set()
            connection.close()

    def book_again():
        booked.wait(30)
        try:
            services.book(slot_id=second.pk, name="ก", phone="0891234567", confirm=False)
            outcome["second"] = "booked"
        except services.SlotUnavailable as exc:
            outcome["second"] = exc.message
        finally:
            connection.close()

    threads = [threading.Thread(target=hold_then_commit), threading.Thread(target=book_again)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert "ในวันเดียวกันครบ 1 ที่" in outcome["second"]
    assert queue.bookings.count() == 1

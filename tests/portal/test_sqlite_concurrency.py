"""The embedded SQLite default under concurrent writes, against a real threaded server on a SQLite file: WAL and
IMMEDIATE transactions with a busy timeout let writers wait their turn instead of failing with "database is
locked" (a 500 before); a lock held longer than the timeout is a 503 with Retry-After, never a 500."""

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from eservice.queues import services
from tests.eservice.factories import QueueFactory

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
                                 reason="the embedded SQLite default only")]

ROOT = Path(__file__).resolve().parents[2]


def _slot_ids(queue):
    day = timezone.localdate() + timezone.timedelta(days=1)
    return [slot.pk for slot in services.ensure_slots(queue=queue, day=day)]


def _copy_database(path: Path):
    """The test database (with this test's rows, committed) copied to a file the server opens."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Server:
    def __init__(self, db_path: Path, **env):
        environment = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "DJANGO_SETTINGS_MODULE": "tests.settings",
                       "RATELIMIT_ENABLE": "0", "QUEUE_API_BOOKING_RATE": "100000/min", "REDIS_URL": "",
                       "CELERY_TASK_ALWAYS_EAGER": "1", **env}
        self.process = subprocess.Popen([sys.executable, "-m", "tests.portal.sqlite_server"], cwd=ROOT,
                                        env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.port = int(self.process.stdout.readline())
        self.base = f"http://127.0.0.1:{self.port}"

    @staticmethod
    def _open(opener, request):
        try:
            with opener.open(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def post_json(self, path, payload):
        request = urllib.request.Request(self.base + path, data=json.dumps(payload).encode(),
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        return self._open(urllib.request.build_opener(), request)

    def book_on_the_page(self, path, form):
        """As a browser does: open the day's page (CSRF cookie and token), then send the form."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(), _NoRedirect())
        status, _, page = self._open(opener, urllib.request.Request(self.base + path))
        assert status == 200, page[:300]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token}).encode()
        return self._open(opener, urllib.request.Request(self.base + path, data=data))

    def stop(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture
def queue(org):
    return QueueFactory(organization=org, places_per_slot=500, max_per_phone_day=5, max_per_phone_week=5)


def test_threads_hammering_writes_get_no_500(queue, tmp_path):
    """Citizens booking on the page at once: each booking is one transaction that reads, then writes."""
    slots = _slot_ids(queue)
    day_path = f"/{queue.organization.slug}/queue/{queue.code}/{(timezone.localdate() + timezone.timedelta(days=1))}/"
    db_path = tmp_path / "portal.sqlite3"
    _copy_database(db_path)
    server = Server(db_path)
    results, lock = [], threading.Lock()

    def citizen(n):
        for i in range(8):
            outcome = server.book_on_the_page(day_path, {
                "slot": slots[(n + i) % len(slots)], "name": f"ผู้จอง {n}-{i}", "phone": f"08{n:02d}{i:06d}"})
            with lock:
                results.append(outcome)

    try:
        threads = [threading.Thread(target=citizen, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    statuses = [status for status, _, _ in results]
    assert len(statuses) == 64
    failures = [" ".join((re.search(r"<title>(.*?)</title>", body, re.S) or re.search("(.*)", body[:200])).group(1)
                         .split()) for status, _, body in results if status not in (302, 503)]
    assert set(statuses) <= {302, 503}, failures[:3]
    assert all(headers.get("Retry-After") for status, headers, _ in results if status == 503)
    with sqlite3.connect(db_path) as db:
        booked = db.execute("SELECT count(*) FROM eservice_booking").fetchone()[0]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert booked == statuses.count(302) > 0


def test_a_lock_held_past_the_busy_timeout_is_a_503_with_retry_after(queue, tmp_path):
    slot = _slot_ids(queue)[0]
    db_path = tmp_path / "portal.sqlite3"
    _copy_database(db_path)
    server = Server(db_path, SQLITE_BUSY_TIMEOUT="0.5")
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("BEGIN EXCLUSIVE")  # another writer that does not let go
        status, headers, body = server.post_json("/api/queue/bookings/", {"slot": slot, "name": "ก",
                                                                            "phone": "0810000001"})
        assert status == 503 and int(headers["Retry-After"]) > 0, body[:500]
        assert "ระบบกำลังบันทึกรายการอื่นอยู่" in json.loads(body)["detail"]
        holder.execute("ROLLBACK")
        status, _, body = server.post_json("/api/queue/bookings/", {"slot": slot, "name": "ก", "phone": "0810000001"})
        assert status == 201, body[:500]
    finally:
        holder.close()
        server.stop()

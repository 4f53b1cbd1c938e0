"""Several web nodes: two gunicorn processes share one PostgreSQL database, one Redis and one S3 endpoint (moto's
server mode), and a citizen's and a clerk's journey goes back and forth between them. Whatever a request needs is
found by the other process: the session, a photo kept across a form error, uploaded files (public and private),
rate-limit counters and cached page parts; nothing is written to either node's disk.

Runs in the PostgreSQL stage (marker `services`): the SQLite stage's in-memory database cannot be shared."""

import html
import os
import pickle
import re
import signal
import subprocess
import sys
import time

import pytest
import redis as redis_client
import requests
from django.conf import settings
from django.urls import reverse

from complaints.demo import ensure_categories
from complaints.models import Complaint
from portal.models import Role
from tests.complaints.factories import jpeg_bytes
from tests.portal.factories import staff
from tests.portal.s3 import S3Server
from tests.services import ROOT, RedisServer, uses_postgres

# `once`: the SQLite stage leaves it out whenever the PostgreSQL stage runs (it skips itself on SQLite anyway).
pytestmark = [pytest.mark.services, pytest.mark.once, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-test-12345"  # tests.portal.factories.UserFactory's
QR_SENTINEL = b"<svg>drawn by the other node</svg>"


class WebProcess:
    """`gunicorn portal.wsgi` on a port of 127.0.0.1 the system picks (read back from its log), as a web node runs."""

    def __init__(self, environment: dict, log_path):
        self.url = ""
        self.log = open(log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", "127.0.0.1:0", "--workers", "1",
             "--graceful-timeout", "2", "--no-control-socket", "--log-level", "info"],
            cwd=ROOT, env=environment, stdout=self.log, stderr=subprocess.STDOUT)

    def _log_text(self) -> str:
        return open(self.log.name, encoding="utf-8", errors="replace").read()

    def wait_ready(self, deadline: float):
        while time.time() < deadline and self.process.poll() is None:
            if not self.url:
                found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", self._log_text())
                self.url = found.group(1) if found else ""
            if self.url:
                try:
                    # The first answer waits for the worker to load the project.
                    if requests.get(f"{self.url}/healthz", timeout=max(0.1, deadline - time.time())).status_code == 200:
                        return
                except requests.RequestException:
                    pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"web process did not start: {self._log_text()[-2000:]}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown (TERM waits for requests)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@pytest.fixture
def cluster(tmp_path):
    if not uses_postgres():
        pytest.skip("two web processes share one PostgreSQL database: runs in the PostgreSQL stage")
    redis = RedisServer().start()
    s3 = S3Server().start()
    s3.public, s3.private = s3.make_buckets()
    db = settings.DATABASES["default"]
    environment = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis.url, "CELERY_TASK_ALWAYS_EAGER": "1", **s3.environment(s3.public, s3.private),
        "RATELIMIT_ENABLE": "1", "API_ANON_RATE": "4/min",
        "SMS_BACKEND": "portal.notifications.sms.FileSMSBackend", "SMS_FILE_PATH": str(tmp_path / "sms"),
    }
    # Each node has folders of its own, as on two machines; anything still written to a node's disk lands there.
    nodes = [WebProcess({**environment, "MEDIA_ROOT": str(tmp_path / f"node-{name}" / "media"),
                         "PRIVATE_MEDIA_ROOT": str(tmp_path / f"node-{name}" / "private-media")},
                        tmp_path / f"web-{name}.log") for name in "ab"]  # both boot at once
    try:
        deadline = time.time() + 40
        for node in nodes:
            node.wait_ready(deadline)
        yield nodes, redis, s3, tmp_path
    finally:
        for node in nodes:
            node.stop()
        s3.stop()
        redis.stop()


def _csrf(session, url) -> str:
    page = session.get(url, timeout=20)
    assert page.status_code == 200, page.text[:300]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _complaint_form(category, **extra):
    return {"category": category.pk, "description": "ไฟถนนดับทั้งซอย หน้าวัดถึงสามแยก", "latitude": "16.4321",
            "longitude": "102.8231", "village": "หมู่ 2", "notify_channel": "", **extra}


def test_a_journey_across_two_web_processes(cluster, org):
    (a, b), redis, s3, node_disk = cluster
    cats = ensure_categories(org)
    type(org).objects.filter(pk=org.pk).update(line_oa_id="@khamyai")
    legal = staff(org, Role.LEGAL_OFFICER)
    photo = jpeg_bytes(size=(640, 480))

    # 1. A citizen's form comes back from node A with an error; the photo is kept (private bucket, the session).
    citizen = requests.Session()  # one browser; cookies go to both nodes, as behind one proxy
    form = reverse("complaints:new", args=[org.slug])
    token = _csrf(citizen, a.url + form)
    first = citizen.post(a.url + form, data={**_complaint_form(cats["street_light"], latitude="13.7", longitude="100.5"),
                                             "csrfmiddlewaretoken": token},
                         files={"photos": ("ไฟดับ.jpg", photo, "image/jpeg")}, timeout=20)
    assert first.status_code == 400 and "นอกพื้นที่" in first.text
    kept = re.findall(r'name="photos__kept" value="([^"]+)"', first.text)
    assert len(kept) == 1 and any(key.startswith("tmp-uploads/") for key in s3.keys(s3.private))

    # 2. The corrected form goes to node B, without choosing the photo again.
    second = citizen.post(b.url + form, data={**_complaint_form(cats["street_light"]), "photos__kept": kept,
                                              "csrfmiddlewaretoken": token}, allow_redirects=False, timeout=20)
    assert second.status_code == 302, second.text[:500]
    complaint = Complaint.objects.get(is_protected=False)
    stored = complaint.photos.get().image.name
    assert stored in s3.keys(s3.public)
    assert not any(key.startswith("tmp-uploads/") for key in s3.keys(s3.private))  # the kept copy was used up

    # 3. Node A shows the tracking page; its photo comes from the public bucket, at MEDIA_URL.
    track = citizen.get(a.url + second.headers["Location"], timeout=20)
    assert track.status_code == 200 and complaint.tracking_code in track.text
    src = html.unescape(re.search(rf'<img src="({re.escape(s3.environment(s3.public, s3.private)["MEDIA_URL"])}[^"]+)"',
                                  track.text).group(1))
    public_photo = requests.get(src, timeout=10)
    assert public_photo.status_code == 200 and public_photo.content.startswith(b"\xff\xd8")
    assert public_photo.content == s3.client.get_object(Bucket=s3.public, Key=stored)["Body"].read()

    # 4. A corruption report with evidence, filed on node A: private bucket only.
    integrity = reverse("complaints:integrity-new", args=[org.slug])
    reporter = requests.Session()
    token = _csrf(reporter, a.url + integrity)
    done = reporter.post(a.url + integrity, data={"category": cats["corruption"].pk, "description": "มีการเรียกรับเงิน",
                                                  "csrfmiddlewaretoken": token},
                         files={"photos": ("หลักฐาน.jpg", photo, "image/jpeg")}, timeout=20)
    assert done.status_code == 200, done.text[:500]
    evidence = Complaint.objects.get(is_protected=True).photos.get()
    key = evidence.evidence.name
    assert key in s3.keys(s3.private) and key not in s3.keys(s3.public)
    secret = s3.client.get_object(Bucket=s3.private, Key=key)["Body"].read()
    # Its object address gives nothing; the portal's view gives nothing without a login either.
    assert requests.get(f"{s3.endpoint}/{s3.private}/{key}", timeout=10).status_code == 403
    photo_view = reverse("complaints-photo", args=[evidence.pk])
    anonymous = requests.get(b.url + photo_view, allow_redirects=False, timeout=10)
    assert anonymous.status_code == 302 and secret not in anonymous.content

    # 5. The legal officer signs in on node B and reads the evidence through node A: one session, both nodes.
    officer = requests.Session()
    token = _csrf(officer, b.url + "/admin/login/")
    login = officer.post(b.url + "/admin/login/", data={"username": legal.username, "password": PASSWORD,
                                                         "csrfmiddlewaretoken": token, "next": "/admin/"},
                         allow_redirects=False, timeout=20)
    assert login.status_code == 302 and login.headers["Location"] == "/admin/"
    read = officer.get(a.url + photo_view, timeout=20)
    assert read.status_code == 200 and read.content == secret
    assert read.headers["Content-Type"] == "image/jpeg" and read.headers["Cache-Control"] == "private, no-store"

    # 6. Rate limits count on both nodes together (API_ANON_RATE=4/min for this client address).
    client = requests.Session()
    answers = [client.get(node.url + "/api/organizations/", timeout=10).status_code for node in (a, b, a, b, a, b)]
    assert answers == [200, 200, 200, 200, 429, 429]

    # 7. A drawing kept by node A is what node B serves (the LINE QR image the organization's home links to).
    home = reverse("portal:org-home", args=[org.slug])
    qr_url = html.unescape(re.search(r'id="org-line-qr" src="([^"]+)"', requests.get(a.url + home, timeout=20).text).group(1))
    assert requests.get(a.url + qr_url, timeout=20).content.startswith(b"<svg")
    shared = redis_client.Redis.from_url(redis.url)
    keys = list(shared.scan_iter(match="*portal:qr-svg-bytes:*"))
    assert len(keys) == 1
    shared.set(keys[0], pickle.dumps(QR_SENTINEL, pickle.HIGHEST_PROTOCOL), keepttl=True)
    assert requests.get(b.url + qr_url, timeout=20).content == QR_SENTINEL

    # Nothing went to either node's own disk.
    assert not [path for path in node_disk.glob("node-*/**/*") if path.is_file()]

"""Redis down does not take citizen intake down.

A Redis of the test's own (never the shared one) backs the cache, the rate limiter, the DRF throttle and the
Celery broker of a running server; it is stopped, and a complaint is filed by the web form, by Open311 and
handled through the API: all succeed, /healthz says "degraded", the notifications wait in the outbox and go out
once Redis is back."""

import json
import re
from unittest import mock

import pytest
import requests
from django.core.cache.backends.redis import RedisCache

from complaints.demo import ensure_categories
from complaints.models import Complaint
from portal.machinery.cache import ResilientRedisCache
from portal.models import Notification, Role
from portal.open311.services import create_api_key
from tests.portal.factories import staff
from tests.services import RedisServer, celery_worker, reset_broker_connections, wait_for

PASSWORD = "pw-test-12345"


@pytest.fixture
def redis_backed(settings, tmp_path):
    from portal.celery import app

    redis = RedisServer().start()
    settings.CACHES = {"default": {"BACKEND": "portal.machinery.cache.ResilientRedisCache", "LOCATION": redis.url}}
    settings.RATELIMIT_ENABLE = True
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis.url
    settings.SMS_BACKEND = "portal.notifications.sms.FileSMSBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_broker = app.conf.broker_url
    app.conf.update(broker_url=redis.url, task_always_eager=False)
    reset_broker_connections(app)
    try:
        yield redis
    finally:
        redis.stop()
        app.conf.update(broker_url=old_broker, task_always_eager=True)
        reset_broker_connections(app)


def _csrf(session, url):
    page = session.get(url, timeout=20)
    assert page.status_code == 200
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_intake_survives_redis_down_and_notifications_follow(live_server, redis_backed, org, settings):
    from django.core.cache import caches

    assert isinstance(caches["default"], ResilientRedisCache)
    cats = ensure_categories(org)
    _key, raw_key = create_api_key(organization=org, name="app", actor=None)
    officer = staff(org, Role.OFFICER)
    base = live_server.url
    assert requests.get(f"{base}/healthz", timeout=10).json()["status"] == "ok"

    redis_backed.stop()

    # 1. the citizen web form
    web = requests.Session()
    form_url = f"{base}/{org.slug}/complaints/new/"
    token = _csrf(web, form_url)
    response = web.post(form_url, data={
        "csrfmiddlewaretoken": token, "category": cats["street_light"].pk, "description": "ไฟดับทั้งซอย",
        "latitude": "16.4321", "longitude": "102.8231", "village": "หมู่ 2", "notify_channel": "sms",
        "contact_phone": "0812345678", "pdpa_consent": "on"}, headers={"Referer": form_url}, allow_redirects=False,
        timeout=20)
    assert response.status_code == 302, response.text[:500]
    track = web.get(base + response.headers["Location"], timeout=20)
    assert track.status_code == 200

    # 2. Open311
    response = requests.post(f"{base}/open311/v2/requests.json", data={
        "jurisdiction_id": org.slug, "api_key": raw_key, "service_code": cats["road"].code, "lat": "16.4321",
        "long": "102.8231", "description": "ถนนเป็นหลุม", "phone": "0823456789"}, timeout=20)
    assert response.status_code in (200, 201), response.text[:500]
    open311_code = response.json()[0]["service_request_id"]

    # 3. the API: an anonymous read (throttled through the cache) and a staff reply (Basic auth, notifies)
    assert requests.get(f"{base}/api/complaint-categories/", timeout=20).status_code == 200
    web_code = Complaint.objects.exclude(tracking_code=open311_code).get().tracking_code
    response = requests.post(f"{base}/api/complaints/{web_code}/reply/", auth=(officer.username, PASSWORD),
                             json={"message": "รับทราบ จะเข้าซ่อม", "public": True}, timeout=20)
    assert response.status_code == 200, response.text[:500]

    health = requests.get(f"{base}/healthz", timeout=20)
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["checks"]["cache"]["status"] == "down"
    assert health.json()["checks"]["broker"]["status"] == "down"
    assert requests.get(f"{base}/healthz?strict=1", timeout=20).status_code == 503

    assert Complaint.objects.count() == 2
    pending = list(Notification.objects.values_list("pk", "status"))
    assert len(pending) >= 2 and {status for _pk, status in pending} == {"pending"}

    # Redis back: the sweep re-queues, a worker delivers each exactly once.
    redis_backed.start()
    from portal.celery import app
    from portal.notifications import tasks

    reset_broker_connections(app)
    assert tasks.sweep_pending.apply().get() == len(pending)
    with celery_worker(redis_backed.url, {"SMS_BACKEND": settings.SMS_BACKEND, "SMS_FILE_PATH": settings.SMS_FILE_PATH}):
        assert wait_for(lambda: not Notification.objects.exclude(status="sent").exists(), timeout=60)
    with open(settings.SMS_FILE_PATH + "/sms.jsonl", encoding="utf-8") as fh:
        sent = [json.loads(line) for line in fh.read().splitlines()]
    assert sorted(m["key"] for m in sent) == sorted({m["key"] for m in sent})  # one each
    assert len(sent) == len(pending) and {m["to"] for m in sent} == {"0812345678"}
    assert requests.get(f"{base}/healthz", timeout=20).json()["status"] == "ok"


@pytest.mark.services
def test_resilient_cache_falls_back_and_replays_forgotten_keys():
    redis = RedisServer().start()
    try:
        cache = ResilientRedisCache(redis.url, {})
        cache.set("k", "from-redis")
        assert cache.get("k") == "from-redis"
        redis.stop()
        assert cache.get("k") is None  # a miss: the caller reads the database
        # One short timeout, then no more waiting: until the retry time nothing goes to Redis at all (the clock is
        # held inside that window, so a slow machine cannot reach its end).
        assert cache._down_until > 0
        frozen = mock.patch("portal.machinery.cache.time.monotonic", return_value=cache._down_until - 1)
        reached = mock.patch.object(RedisCache, "get", side_effect=AssertionError("asked Redis again"))
        with frozen, reached, mock.patch.object(RedisCache, "set", side_effect=AssertionError("asked Redis again")), \
                mock.patch.object(RedisCache, "add", side_effect=AssertionError("asked Redis again")), \
                mock.patch.object(RedisCache, "incr", side_effect=AssertionError("asked Redis again")):
            cache.set("k2", "local")
            assert cache.get("k2") == "local"  # per-process memory while Redis is away
            assert cache.add("bucket", 1) and cache.incr("bucket") == 2  # rate-limit counting goes on
        with pytest.raises(Exception):  # noqa: B017 (any redis error)
            cache.ping()
        redis.start()
        cache._down_until = 0  # skip the retry pause
        cache.set("k", "from-redis")
        assert cache.get("k") == "from-redis"
        # an invalidation while Redis is unreachable reaches Redis once it answers again
        cache._down_until = float("inf")  # still unreachable, as far as the cache knows
        cache.delete("k")
        cache._down_until = 0
        assert cache.get("k") is None
    finally:
        redis.stop()

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import redis as redis_lib
from django.core import mail
from django.db import connection, transaction

from portal.models import Notification
from portal.notifications import services, tasks
from portal.notifications.sms import LocmemSMSBackend
from tests.services import RedisServer, celery_worker, reset_broker_connections, wait_for


def _notify(org, channel="email", recipient="citizen@example.com", **ctx):
    return services.notify(organization=org, event="generic", channel=channel, recipient=recipient,
                           context={"subject": "เรื่องของท่านได้รับการแก้ไขแล้ว", "message": "ขอบคุณ", **ctx})


@pytest.mark.django_db(transaction=True)
def test_row_written_with_change_and_sent_after_commit(org):
    with transaction.atomic():
        n = _notify(org)
        assert Notification.objects.get(pk=n.pk).status == "pending"
        assert mail.outbox == []  # nothing leaves before commit
    n.refresh_from_db()
    assert n.status == "sent" and n.attempts == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "เรื่องของท่านได้รับการแก้ไขแล้ว"


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing(org):
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(org)
        raise RuntimeError("the change failed")
    assert Notification.objects.count() == 0 and mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_task_running_twice_delivers_once(org, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # keep on_commit from delivering; we call the task by hand
    from portal.celery import app

    app.conf.task_always_eager = False
    try:
        with transaction.atomic():
            n = Notification.objects.create(organization=org, event="generic", channel="sms",
                                            recipient="0812345678", subject="s", body="b")
        results = []
        if connection.vendor == "postgresql":
            threads = [threading.Thread(target=lambda: results.append(tasks.deliver(n.pk))) for _ in range(4)]
            [t.start() for t in threads]
            [t.join() for t in threads]
        else:  # SQLite locks the whole table: concurrent copies would fail on the lock, not on the claim
            results = [tasks.deliver(n.pk) for _ in range(4)]
        assert tasks.deliver(n.pk) == "skipped"
    finally:
        app.conf.task_always_eager = True
    assert sorted(results).count("sent") == 1
    assert len(LocmemSMSBackend.outbox) == 1


@pytest.mark.django_db
def test_failure_retries_with_backoff_then_fails(org, settings, monkeypatch):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    calls = []

    def broken(notification):
        calls.append(1)
        raise ConnectionError("SMTP down")

    monkeypatch.setitem(tasks.SENDERS, "email", broken)
    n = Notification.objects.create(organization=org, event="generic", channel="email", recipient="a@b.c",
                                    subject="s", body="b")
    assert tasks.deliver(n.pk) == "retry"
    n.refresh_from_db()
    first_delay = n.next_attempt_at - n.created_at
    assert n.status == "pending" and n.attempts == 1 and "SMTP down" in n.last_error
    assert tasks.deliver(n.pk) == "skipped"  # not due yet
    Notification.objects.filter(pk=n.pk).update(next_attempt_at=None)
    assert tasks.deliver(n.pk) == "retry"
    n.refresh_from_db()
    assert tasks.backoff(2) > tasks.backoff(1) and first_delay.total_seconds() >= 29
    Notification.objects.filter(pk=n.pk).update(next_attempt_at=None)
    assert tasks.deliver(n.pk) == "failed"
    assert len(calls) == 3


class FakeLine(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = self.headers.get("X-Line-Retry-Key")
        seen = any(r["key"] == key for r in FakeLine.received)
        FakeLine.received.append({"path": self.path, "auth": self.headers.get("Authorization"), "key": key,
                                  "body": body})
        # LINE answers 409 to a second push with the same retry key.
        self.send_response(409 if seen else 200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_line(settings):
    FakeLine.received = []
    server = HTTPServer(("127.0.0.1", 0), FakeLine)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LINE_API_BASE = f"http://127.0.0.1:{server.server_port}"
    yield FakeLine
    server.shutdown()


@pytest.mark.django_db(transaction=True)
def test_line_push_through_local_fake_server(org, fake_line):
    org.line_channel_access_token = "token-abc"
    org.save()
    n = _notify(org, channel="line", recipient="U1234567890abcdef")
    n.refresh_from_db()
    assert n.status == "sent"
    (req,) = fake_line.received
    assert req["path"] == "/v2/bot/message/push" and req["auth"] == "Bearer token-abc"
    assert req["key"] == str(n.uuid)
    assert req["body"]["to"] == "U1234567890abcdef"
    assert "เรื่องของท่านได้รับการแก้ไขแล้ว" in req["body"]["messages"][0]["text"]


@pytest.mark.django_db
def test_templates_per_language(org):
    subject, body = services.render_message("generic", "en", {"subject": "Done", "message": "Thanks"})
    assert (subject, body) == ("Done", "Thanks")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_broker_down_change_commits_then_delivered_exactly_once(org, settings, tmp_path):
    """Redis stopped: the change still commits and its notification waits; once Redis is back, the
    sweep re-queues it and a real worker delivers it exactly once (even though it is queued twice)."""
    from portal.celery import app

    sms_dir = tmp_path / "sms"
    settings.SMS_BACKEND = "portal.notifications.sms.FileSMSBackend"
    settings.SMS_FILE_PATH = str(sms_dir)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    redis = RedisServer().start()
    old = dict(app.conf.broker_url and {"broker_url": app.conf.broker_url} or {})
    app.conf.update(broker_url=redis.url, task_always_eager=False)
    reset_broker_connections(app)
    try:
        redis.stop()
        with transaction.atomic():
            org.phone = "043-999-999"
            org.save()
            n = _notify(org, channel="sms", recipient="0812345678")
        org.refresh_from_db()
        assert org.phone == "043-999-999"  # the change committed although the broker is down
        n.refresh_from_db()
        assert n.status == "pending" and n.attempts == 0

        redis.start()
        reset_broker_connections(app)
        assert tasks.sweep_pending.apply().get() == 1
        tasks.deliver.apply_async(args=[n.pk])  # a duplicate message: must not send twice
        broker = redis_lib.Redis.from_url(redis.url)
        assert broker.llen("celery") == 2  # the sweep's message and the duplicate wait in the queue
        lines = sms_dir / "sms.jsonl"
        with celery_worker(redis.url, {"SMS_BACKEND": settings.SMS_BACKEND, "SMS_FILE_PATH": str(sms_dir)}):
            assert wait_for(lambda: Notification.objects.get(pk=n.pk).status == "sent", timeout=60)
            # Both messages taken from the queue and acknowledged (tasks ack late: only once they have run).
            assert wait_for(lambda: broker.llen("celery") == 0 and broker.hlen("unacked") == 0, timeout=60)
        sent = [json.loads(line) for line in lines.read_text().splitlines()]
        assert len(sent) == 1 and sent[0]["to"] == "0812345678"
    finally:
        redis.stop()
        app.conf.update(task_always_eager=True, **old)
        reset_broker_connections(app)

"""The outbox's guarantee, tested where it is weakest: a worker dying after the provider accepted a message and
before the row was marked sent. The row is never lost (the sweep re-sends it after the stale window) and every
attempt carries the same key (SMS/LINE idempotency key, e-mail Message-ID), so a provider that honours it
delivers once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from portal.models import Notification
from portal.notifications import channels, tasks
from portal.notifications.services import notify
from portal.notifications.sms import LocmemSMSBackend


class WorkerKilled(BaseException):
    """Stands for kill -9: not an Exception, so nothing in the task catches it."""


def _row(org, channel, recipient):
    return notify(organization=org, event="generic", channel=channel, recipient=recipient,
                  context={"subject": "เรื่องของท่าน", "message": "ดำเนินการแล้ว"})


def _crash_after_provider_accepts(monkeypatch, channel):
    real = channels.SENDERS[channel]

    def accept_then_die(notification):
        real(notification)
        raise WorkerKilled

    monkeypatch.setitem(channels.SENDERS, channel, accept_then_die)
    return real


def _age_claim(notification, minutes=11):
    Notification.objects.filter(pk=notification.pk).update(claimed_at=timezone.now() - dt.timedelta(minutes=minutes))


@pytest.mark.django_db(transaction=True)
def test_email_crash_mid_send_is_resent_with_the_same_message_id(org, monkeypatch):
    with monkeypatch.context() as patch:
        _crash_after_provider_accepts(patch, "email")
        with pytest.raises(WorkerKilled):  # delivered in-process as soon as the row commits
            _row(org, "email", "citizen@example.com")
    n = Notification.objects.get()
    assert n.status == "sending" and len(mail.outbox) == 1  # accepted by the server, row not marked

    assert tasks.sweep_pending() == 0  # inside the stale window nothing is re-sent
    _age_claim(n)
    assert tasks.sweep_pending() == 1  # eager: re-queued and delivered
    n.refresh_from_db()
    assert n.status == "sent"
    assert len(mail.outbox) == 2
    first, second = (m.extra_headers["Message-ID"] for m in mail.outbox)
    assert first == second == channels.message_id(n)
    assert str(n.uuid) in first
    assert "Message-ID: " + first in mail.outbox[0].message().as_string()


@pytest.mark.django_db(transaction=True)
def test_sms_crash_mid_send_is_resent_with_the_same_idempotency_key(org, monkeypatch):
    with monkeypatch.context() as patch:
        _crash_after_provider_accepts(patch, "sms")
        with pytest.raises(WorkerKilled):
            _row(org, "sms", "0812345678")
    n = Notification.objects.get()
    assert n.status == "sending"
    _age_claim(n)
    tasks.sweep_pending()
    n.refresh_from_db()
    assert n.status == "sent"
    keys = [m["key"] for m in LocmemSMSBackend.outbox]
    assert keys == [str(n.uuid), str(n.uuid)]
    # a provider that honours the key delivers it once
    assert len({(m["to"], m["key"]) for m in LocmemSMSBackend.outbox}) == 1


@pytest.mark.django_db
def test_message_ids_differ_between_rows(org):
    a, b = _row(org, "email", "a@example.com"), _row(org, "email", "b@example.com")
    assert channels.message_id(a) != channels.message_id(b)
    assert channels.message_id(a).startswith("<") and channels.message_id(a).endswith(">")

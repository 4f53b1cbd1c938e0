"""One-time codes (portal.access.otp): sent through the outbox, kept hashed, expire, a few tries, limited per contact and
per client address. Codes come from a patched generator and the clock is passed in: nothing here depends on
chance or on the time of day."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from portal.access import otp
from portal.models import Notification
from portal.notifications.sms import LocmemSMSBackend


@pytest.fixture
def codes(monkeypatch):
    issued = iter(["111111", "222222", "333333", "444444", "555555", "666666"] * 5)
    monkeypatch.setattr(otp, "new_code", lambda: next(issued))


def _request(ip="10.0.0.1", session=None):
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    request.session = session if session is not None else SessionStore()
    return request


_capture = None


@pytest.fixture(autouse=True)
def _delivered(django_capture_on_commit_callbacks):
    """The outbox sends after commit: inside a test's transaction, run those callbacks after each send."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


def _send(request, org, recipient="0812345678", subject="AB-123", now=1_000_000.0, channel="sms"):
    with _capture(execute=True):
        return otp.send(request, purpose="test", subject=subject, organization=org, channel=channel,
                        recipient=recipient, now=now)


def test_code_goes_out_by_sms_and_is_kept_only_hashed(db, org, codes):
    request = _request()
    assert _send(request, org).ok
    assert LocmemSMSBackend.outbox[-1]["to"] == "0812345678"
    assert "111111" in LocmemSMSBackend.outbox[-1]["text"]
    assert Notification.objects.filter(event="otp_code", channel="sms").count() == 1
    # once sent, the outbox row no longer holds the code: staff who read notifications cannot use it
    assert "111111" not in Notification.objects.get(event="otp_code").body
    request.session.save()
    stored = SessionStore(session_key=request.session.session_key).load()
    assert "111111" not in repr(stored)


def test_right_code_passes_once(db, org, codes):
    request = _request()
    _send(request, org)
    assert otp.verify(request, purpose="test", subject="AB-123", code="๑๑๑๑๑๑", now=1_000_010.0).ok  # Thai digits
    assert not otp.verify(request, purpose="test", subject="AB-123", code="111111", now=1_000_020.0).ok


def test_code_is_bound_to_its_subject_and_purpose(db, org, codes):
    request = _request()
    _send(request, org, subject="AB-123")
    assert not otp.verify(request, purpose="test", subject="AB-999", code="111111", now=1_000_010.0).ok
    assert not otp.verify(request, purpose="other", subject="AB-123", code="111111", now=1_000_010.0).ok


def test_code_expires(db, org, codes):
    request = _request()
    _send(request, org)
    late = 1_000_000.0 + otp.TTL_SECONDS + 1
    result = otp.verify(request, purpose="test", subject="AB-123", code="111111", now=late)
    assert not result.ok and "หมดอายุ" in result.message


def test_a_few_wrong_tries_void_the_code(db, org, codes):
    request = _request()
    _send(request, org)
    for _ in range(otp.MAX_TRIES):
        assert not otp.verify(request, purpose="test", subject="AB-123", code="999999", now=1_000_010.0).ok
    # the right code no longer helps: it was voided by the wrong tries
    assert not otp.verify(request, purpose="test", subject="AB-123", code="111111", now=1_000_010.0).ok


def test_another_browser_cannot_use_the_code(db, org, codes):
    _send(_request(), org)
    assert not otp.verify(_request(), purpose="test", subject="AB-123", code="111111", now=1_000_010.0).ok


def test_codes_per_contact_are_limited_whoever_asks(db, org, codes):
    limit = int(otp.PER_CONTACT_RATES[0].split("/")[0])
    for i in range(limit):
        assert _send(_request(ip=f"10.0.1.{i}"), org).ok
    refused = _send(_request(ip="10.0.2.1"), org)
    assert not refused.ok and refused.retry_after > 0
    assert len(LocmemSMSBackend.outbox) == limit
    assert _send(_request(ip="10.0.2.1"), org, recipient="0899999999").ok  # another phone is not affected


def test_codes_per_client_address_are_limited(db, org, codes):
    limit = int(otp.PER_CLIENT_RATES[0].split("/")[0])
    for i in range(limit):
        assert _send(_request(), org, recipient=f"08100000{i:02d}").ok
    assert not _send(_request(), org, recipient="0810000099").ok
    assert _send(_request(ip="10.9.9.9"), org, recipient="0810000099").ok


def test_email_channel_and_masking(db, org, codes):
    from django.core import mail

    assert _send(_request(), org, recipient="somchai@example.com", channel="email").ok
    assert "111111" in mail.outbox[-1].body
    assert otp.mask_contact("somchai@example.com") == "s***@example.com"
    assert otp.mask_contact("081-234-5678") == "08x-xxx-5678"

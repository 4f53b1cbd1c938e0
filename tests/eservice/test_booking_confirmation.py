"""A queue that confirms bookings by SMS: the place is held while a code goes to the phone, becomes a booking when the
code is typed in time, and goes back to the slot when it is not (lazily at the next booking, or by the beat task).
The clock is passed in and the code comes from a patched generator: nothing depends on the time of day or chance."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from eservice.models import Booking, BookingStatus, Slot
from eservice.queues import services
from portal.access import otp
from portal.models import Notification
from tests.audit import rows_for

from .factories import QueueFactory, future_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(monkeypatch):
    monkeypatch.setattr(otp, "new_code", lambda: "520741")


@pytest.fixture
def sms_queue(org):
    return QueueFactory(organization=org, confirm_by_sms=True, places_per_slot=1)


def _book(client, org, queue, slot, phone="0891234567", capture=None):
    url = reverse("eservice:queue-slots", args=[org.slug, queue.code, slot.date.isoformat()])
    data = {"slot": slot.pk, "name": "สมศรี", "phone": phone}
    if capture is None:
        return client.post(url, data)
    with capture(execute=True):
        return client.post(url, data)


def test_place_is_held_until_the_code_is_typed(client, org, sms_queue, code, django_capture_on_commit_callbacks):
    from portal.notifications.sms import LocmemSMSBackend

    slot = future_slot(sms_queue)
    response = _book(client, org, sms_queue, slot, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    booking = Booking.objects.get()
    slot.refresh_from_db()
    assert booking.status == BookingStatus.HELD and slot.booked == 1  # the place is held for the code
    assert "520741" in LocmemSMSBackend.outbox[-1]["text"] and LocmemSMSBackend.outbox[-1]["to"] == "0891234567"
    assert not Notification.objects.filter(event="eservice_booked").exists()  # not booked yet
    page = client.get(response["Location"]).content.decode()
    assert 'id="confirm-hold"' in page and "89x-xxx-4567" not in page and "08x-xxx-4567" in page
    assert 'alt="QR' not in page  # no check-in QR for a place not yet confirmed
    confirm = reverse("eservice:confirm-booking", args=[org.slug, booking.token])
    assert client.post(confirm, {"code": "111111"}).status_code == 400
    assert client.post(confirm, {"code": "520741"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert Notification.objects.filter(event="eservice_booked", recipient="0891234567").count() == 1
    assert rows_for(booking, "eservice.booking.confirmed").exists()


def test_a_queue_without_the_switch_books_at_once(client, org):
    queue = QueueFactory(organization=org)
    _book(client, org, queue, future_slot(queue))
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_unconfirmed_holds_go_back_after_the_minutes(org, sms_queue):
    slot = future_slot(sms_queue)
    t0 = timezone.now()
    held = services.book(slot_id=slot.pk, name="ก", phone="0810000001", now=t0, hold=True)
    just_before = t0 + dt.timedelta(minutes=services.HOLD_MINUTES) - dt.timedelta(seconds=1)
    assert services.release_expired_holds(now=just_before) == 0
    at = t0 + dt.timedelta(minutes=services.HOLD_MINUTES)
    assert services.release_expired_holds(now=at) == 1
    held.refresh_from_db()
    assert held.status == BookingStatus.CANCELLED and Slot.objects.get(pk=slot.pk).booked == 0
    with pytest.raises(services.SlotUnavailable):
        services.confirm_hold(booking=held, now=at)


def test_a_late_code_does_not_book(org, sms_queue):
    slot = future_slot(sms_queue)
    t0 = timezone.now()
    held = services.book(slot_id=slot.pk, name="ก", phone="0810000001", now=t0, hold=True)
    with pytest.raises(services.SlotUnavailable):
        services.confirm_hold(booking=held, now=t0 + dt.timedelta(minutes=services.HOLD_MINUTES, seconds=1))
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.HELD  # left for the release to give back


def test_an_expired_hold_is_released_when_someone_books(client, org, sms_queue, code):
    slot = future_slot(sms_queue)  # one place
    stale = timezone.now() - dt.timedelta(minutes=services.HOLD_MINUTES + 1)
    services.book(slot_id=slot.pk, name="ก", phone="0810000001", now=stale, hold=True)
    assert _book(client, org, sms_queue, slot, phone="0810000002").status_code == 302  # no beat task needed
    assert Booking.objects.get(phone="0810000002").status == BookingStatus.HELD
    assert Booking.objects.get(phone="0810000001").status == BookingStatus.CANCELLED


def test_a_fresh_hold_keeps_its_place(client, org, sms_queue, code):
    slot = future_slot(sms_queue)
    services.book(slot_id=slot.pk, name="ก", phone="0810000001", hold=True)
    assert _book(client, org, sms_queue, slot, phone="0810000002").status_code == 409


def test_the_beat_task_releases_and_names_itself(org, sms_queue, monkeypatch):
    from eservice.tasks import release_holds

    slot = future_slot(sms_queue)
    stale = timezone.now() - dt.timedelta(minutes=services.HOLD_MINUTES + 1)
    held = services.book(slot_id=slot.pk, name="ก", phone="0810000001", now=stale, hold=True)
    assert release_holds() == 1
    row = rows_for(held, "eservice.booking.hold_released").get()
    assert row.additional_data["actor"] == "system:task:eservice.release_holds"


def test_no_code_no_hold(client, org, sms_queue, code, monkeypatch):
    """When the phone's allowance of codes is used up, the place goes back at once."""
    monkeypatch.setattr(otp, "PER_CONTACT_RATES", ("0/15m",))
    slot = future_slot(sms_queue)
    response = _book(client, org, sms_queue, slot)
    assert response.status_code == 429
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_the_api_does_not_skip_the_code(client, org, sms_queue):
    """The anonymous queue API cannot book around the organization's switch: it sends no code, so it holds no place
    in such a queue and says where to book instead."""
    slot = future_slot(sms_queue)
    response = client.post("/api/queue/bookings/", {"slot": slot.pk, "name": "ก", "phone": "0891234567"},
                           content_type="application/json")
    assert response.status_code == 409 and "SMS" in response.json()["detail"]
    assert not Booking.objects.exists()
    slot.refresh_from_db()
    assert slot.booked == 0

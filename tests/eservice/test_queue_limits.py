"""What one person can hold in a queue, driven through the booking page and the API as a citizen (or a script)
would: per phone per day and per week, per client address per day; limits set per queue."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from eservice.models import Booking, BookingStatus
from eservice.queues import services

from .factories import QueueFactory

pytestmark = pytest.mark.django_db


def _monday_ahead() -> dt.date:
    """The next Monday at least one day ahead: a whole week inside the booking window, whatever today is."""
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def _slot(queue, day, hour=9):
    return next(s for s in services.ensure_slots(queue=queue, day=day) if timezone.localtime(s.start).hour == hour)


def _post(client, queue, slot, phone, **extra):
    url = reverse("eservice:queue-slots", args=[queue.organization.slug, queue.code, slot.date.isoformat()])
    return client.post(url, {"slot": slot.pk, "name": "ผู้จอง", "phone": phone}, **extra)


def test_one_phone_holds_at_most_the_queue_limits_per_day_and_per_week(client, org):
    # The next Monday is up to 7 days ahead and the Monday after it up to 14: a window of 21 days holds both on any
    # weekday (the default 14 shuts the second Monday out when today is a Monday).
    queue = QueueFactory(organization=org, places_per_slot=10, max_per_phone_day=2, max_per_phone_week=3,
                         booking_window_days=21)
    monday = _monday_ahead()
    phone = "0891234567"
    assert _post(client, queue, _slot(queue, monday, 9), phone).status_code == 302
    assert _post(client, queue, _slot(queue, monday, 10), phone).status_code == 302
    third = _post(client, queue, _slot(queue, monday, 11), phone)
    assert third.status_code == 409
    assert "เบอร์โทรศัพท์นี้จองคิวนี้ในวันเดียวกันครบ 2 ที่แล้ว" in third.content.decode()
    assert _post(client, queue, _slot(queue, monday + dt.timedelta(days=1)), phone).status_code == 302
    wednesday = _slot(queue, monday + dt.timedelta(days=2))
    refused = _post(client, queue, wednesday, phone)
    assert refused.status_code == 409
    assert "เบอร์โทรศัพท์นี้จองคิวนี้ในสัปดาห์เดียวกันครบ 3 ที่แล้ว" in refused.content.decode()
    # The next week is another allowance; another phone is another person.
    assert _post(client, queue, _slot(queue, monday + dt.timedelta(days=7)), phone).status_code == 302
    assert _post(client, queue, _slot(queue, monday, 11), "0810000002").status_code == 302
    # A cancelled booking gives its place in the allowance back.
    first = Booking.objects.filter(phone=phone, date=monday).first()
    assert client.post(reverse("eservice:cancel", args=[org.slug, first.token])).status_code == 302
    assert _post(client, queue, wednesday, phone).status_code == 302
    assert Booking.objects.filter(phone=phone, status=BookingStatus.BOOKED).count() == 4


def test_the_api_applies_the_same_phone_limits(client, org):
    queue = QueueFactory(organization=org, places_per_slot=10, max_per_phone_day=1)
    monday = _monday_ahead()
    url = "/api/queue/bookings/"
    first = client.post(url, {"slot": _slot(queue, monday).pk, "name": "ก", "phone": "0891234567"},
                        content_type="application/json")
    assert first.status_code == 201
    second = client.post(url, {"slot": _slot(queue, monday, 10).pk, "name": "ก", "phone": "0891234567"},
                         content_type="application/json")
    assert second.status_code == 409 and "ครบ 1 ที่" in second.json()["detail"]


def test_one_client_address_books_at_most_the_queue_limit_per_day(client, org, settings):
    settings.RATELIMIT_ENABLE = True
    queue = QueueFactory(organization=org, places_per_slot=50, max_per_client_day=3)
    slot = _slot(queue, _monday_ahead())
    for n in range(2):
        assert _post(client, queue, slot, f"08100000{n:02d}").status_code == 302
    api = client.post("/api/queue/bookings/", {"slot": slot.pk, "name": "ก", "phone": "0810000010"},
                      content_type="application/json")
    assert api.status_code == 201  # the page and the API count together
    refused = _post(client, queue, slot, "0810000003")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "ครบ 3 ครั้งในวันนี้แล้ว" in refused.content.decode()
    assert "0810000003" in refused.content.decode()  # what was typed stays in the form
    api = client.post("/api/queue/bookings/", {"slot": slot.pk, "name": "ก", "phone": "0810000011"},
                      content_type="application/json")
    assert api.status_code == 429 and api["Retry-After"]
    assert _post(client, queue, slot, "0810000004", REMOTE_ADDR="192.0.2.9").status_code == 302
    assert Booking.objects.count() == 4


def test_the_client_address_day_turns_at_midnight_in_bangkok(org, settings):
    """The per-address allowance is per day of the portal's time zone: at 17:00 UTC it is midnight in Bangkok and a
    new allowance starts (a day counted in UTC would turn at 07:00 in the morning, Bangkok time)."""
    settings.RATELIMIT_ENABLE = True
    queue = QueueFactory(organization=org, places_per_slot=50, max_per_client_day=2)
    before = dt.datetime(2030, 1, 7, 16, 59, tzinfo=dt.UTC)  # Monday 7 January, 23:59 in Bangkok
    after = before + dt.timedelta(minutes=2)  # Tuesday 8 January 00:01 in Bangkok, still the 7th in UTC
    slot = services.ensure_slots(queue=queue, day=dt.date(2030, 1, 9))[0]
    address = "198.51.100.23"

    def book(n, now):
        return services.book(slot_id=slot.pk, name="ก", phone=f"08100001{n:02d}", now=now, client=address)

    book(1, before)
    book(2, before)
    with pytest.raises(services.TooManyBookings) as refused:
        book(3, before)
    assert refused.value.retry_after == 60  # until midnight in Bangkok
    assert book(4, after).status == BookingStatus.BOOKED
    book(5, after)
    with pytest.raises(services.TooManyBookings):
        book(6, after)
    assert Booking.objects.filter(queue=queue).count() == 4

"""Moving and cancelling an appointment, driven through the citizen's pages: a move stays within the ticket's own
queue, keeps the ticket's link (the saved link shows the new day and time), sends one SMS that says what changed,
and is limited per ticket and per client address. Cancel and move pages show the day in full."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from eservice.models import Booking, BookingStatus
from portal import thai
from portal.models import Notification

from .factories import QueueFactory, future_slot

pytestmark = pytest.mark.django_db

THAI_WEEKDAYS = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"]


def _text(response) -> str:
    """The page as read: tags dropped, digits in Arabic whatever the organization's digit style."""
    return thai.to_arabic_digits(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def _thai_full(start) -> str:
    local = timezone.localtime(start)
    return (f"วัน{THAI_WEEKDAYS[local.weekday()]}ที่ {local.day} {thai.THAI_MONTHS[local.month - 1]} "
            f"{local.year + 543} เวลา {local:%H:%M} น.")


def _book(client, queue, slot, phone="0891234567"):
    day_url = reverse("eservice:queue-slots", args=[queue.organization.slug, queue.code, slot.date.isoformat()])
    response = client.post(day_url, {"slot": slot.pk, "name": "สมศรี", "phone": phone})
    assert response.status_code == 302, response.content.decode()[:500]
    return Booking.objects.get(phone=phone, status=BookingStatus.BOOKED)


def test_move_keeps_the_link_and_the_saved_link_shows_the_new_day_and_time(client, org):
    queue = QueueFactory(organization=org)
    nine = future_slot(queue, days=1, hour=9)
    later = future_slot(queue, days=2, hour=14)
    booking = _book(client, queue, nine)
    saved_link = reverse("eservice:ticket", args=[org.slug, booking.token])
    move_url = reverse("eservice:move", args=[org.slug, booking.token])

    page = client.get(move_url + f"?day={later.date.isoformat()}")
    assert page.status_code == 200 and _thai_full(nine.start) in _text(page)
    response = client.post(move_url, {"day": later.date.isoformat(), "slot": later.pk})
    assert response.status_code == 302 and response["Location"] == saved_link

    ticket = _text(client.get(saved_link))
    local = timezone.localtime(later.start)
    assert f"วัน{THAI_WEEKDAYS[local.weekday()]}ที่ {local.day} {thai.THAI_MONTHS[local.month - 1]}" in ticket
    assert f"{local:%H:%M}" in ticket and "ยกเลิก " not in ticket.replace("ยกเลิกการจอง", "")
    booking.refresh_from_db()
    nine.refresh_from_db()
    later.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and booking.slot_id == later.pk and booking.date == later.date
    assert (nine.booked, later.booked) == (0, 1)
    assert Booking.objects.count() == 1  # moved in place, not cancelled and booked anew

    # One SMS for the booking, one for the move saying old -> new; never a second "booked".
    assert Notification.objects.filter(event="eservice_booked").count() == 1
    moved = Notification.objects.get(event="eservice_moved")
    assert moved.recipient == "0891234567"
    body = thai.to_arabic_digits(moved.body)
    assert f"จาก {_thai_full(nine.start)} เป็น {_thai_full(later.start)}" in body, body
    assert saved_link in body


def test_a_slot_of_another_queue_or_organization_is_refused_in_thai(client, org, other_org):
    queue = QueueFactory(organization=org)
    booking = _book(client, queue, future_slot(queue))
    foreign = future_slot(QueueFactory(organization=other_org), hour=10)
    sibling = future_slot(QueueFactory(organization=org), hour=10)
    move_url = reverse("eservice:move", args=[org.slug, booking.token])
    for slot in (foreign, sibling):
        response = client.post(move_url, {"slot": slot.pk})
        assert response.status_code == 400
        assert "เลื่อนได้เฉพาะช่วงเวลาของคิวเดิม" in response.content.decode()
        slot.refresh_from_db()
        assert slot.booked == 0
    booking.refresh_from_db()
    assert booking.slot.queue_id == queue.pk and booking.slot.booked == 1
    assert not Notification.objects.filter(event="eservice_moved").exists()


def test_moves_are_limited_per_ticket_and_per_client_address(client, org, settings):
    settings.RATELIMIT_ENABLE = True
    queue = QueueFactory(organization=org, places_per_slot=50)
    slots = [future_slot(queue, hour=h) for h in (9, 10, 11, 12, 13, 14, 15)]
    booking = _book(client, queue, slots[0])
    move_url = reverse("eservice:move", args=[org.slug, booking.token])
    for slot in slots[1:4]:  # QUEUE_MOVE_TICKET_RATE = 3/d
        assert client.post(move_url, {"slot": slot.pk}).status_code == 302
    refused = client.post(move_url, {"slot": slots[4].pk})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    booking.refresh_from_db()
    assert booking.slot_id == slots[3].pk
    assert Notification.objects.filter(event="eservice_moved").count() == 3

    # Per client address: other tickets, the same address; 10/h in all (three used above).
    others = [_book(client, queue, slots[0], phone=f"08100000{n:02d}") for n in range(7)]
    statuses = []
    for other in others:
        url = reverse("eservice:move", args=[org.slug, other.token])
        statuses.append(client.post(url, {"slot": slots[5].pk}).status_code)
    assert statuses == [302] * 7
    last = _book(client, queue, slots[0], phone="0810000099")
    response = client.post(reverse("eservice:move", args=[org.slug, last.token]), {"slot": slots[5].pk})
    assert response.status_code == 429
    # Another address still may.
    response = client.post(reverse("eservice:move", args=[org.slug, last.token]), {"slot": slots[5].pk},
                           REMOTE_ADDR="192.0.2.77")
    assert response.status_code == 302


def test_cancel_page_shows_the_day_in_full_and_book_again_is_one_tap(client, org):
    queue = QueueFactory(organization=org)
    slot = future_slot(queue)
    booking = _book(client, queue, slot)
    cancel_url = reverse("eservice:cancel", args=[org.slug, booking.token])
    assert _thai_full(slot.start) in _text(client.get(cancel_url))
    response = client.post(cancel_url)
    assert response.status_code == 302
    ticket = client.get(response["Location"]).content.decode()
    again = re.search(r'<a class="btn" id="book-again" href="([^"]+)"', ticket)
    assert again and again.group(1) == reverse("eservice:queue-days", args=[org.slug, queue.code])
    assert client.get(again.group(1)).status_code == 200


def test_english_pages_show_the_day_in_english(client, org):
    queue = QueueFactory(organization=org, name_en="Revenue desk")
    slot = future_slot(queue)
    booking = _book(client, queue, slot)
    client.cookies["django_language"] = "en"
    local = timezone.localtime(slot.start)
    # The portal's one date rule in English: English names, the Buddhist-era year (portal.thai.format_be_date).
    expected = f"{local:%A} {local.day} {local:%B} {local.year + 543}, {local:%H:%M}"
    for name in ("eservice:cancel", "eservice:move"):
        text = _text(client.get(reverse(name, args=[org.slug, booking.token])))
        assert expected in text, text

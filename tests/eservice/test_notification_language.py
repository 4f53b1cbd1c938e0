"""E-service notifications are written in the language the citizen used (the page they filed or booked on), whoever
triggers them, from one template per event with its texts in the catalogues."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from eservice.models import Booking
from eservice.queues import services as queue_services
from eservice.requests import services as request_services
from portal.models import Notification
from portal.notifications.services import render_message

from .factories import QueueFactory, future_slot, make_request

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0e00-\u0e7f]")
EVENTS = ["eservice_received", "eservice_status", "eservice_documents_asked", "eservice_result", "eservice_booked",
          "eservice_queue_reminder", "eservice_moved"]


def _sms_request(org, **kwargs):
    return make_request(org, phone="0812345678", notify_channel="sms", **kwargs)


def test_documents_asked_for_in_the_filing_language_with_what_staff_wrote(org):
    """(Received and status notices in the filing language: tests/portal/test_notification_language.py.)"""
    with translation.override("en"):
        request_obj = _sms_request(org)
    with translation.override("th"):
        request_services.ask_for_documents(request_obj=request_obj, message="กรุณาแนบสำเนาทะเบียนบ้าน", items=["ทะเบียนบ้าน"])
    asked = Notification.objects.get(event="eservice_documents_asked")
    assert asked.language == "en" and "more documents needed" in asked.subject and "Send them here:" in asked.body
    assert "กรุณาแนบสำเนาทะเบียนบ้าน" in asked.body  # what staff wrote is passed on as written


def test_booking_confirmation_and_reminder_in_the_booking_language(org):
    queue = QueueFactory(organization=org, name_en="Revenue desk", letter="A")  # a ticket letter is data
    slot = future_slot(queue, days=1)
    with translation.override("en"):
        english = queue_services.book(slot_id=slot.pk, name="John", phone="0810000001")
    thai = queue_services.book(slot_id=slot.pk, name="สมชาย", phone="0810000002")
    assert (english.language, thai.language) == ("en", "th")
    queue_services.send_reminders(now=timezone.now())
    local = timezone.localtime(slot.start)
    for event in ("eservice_booked", "eservice_queue_reminder"):
        en = Notification.objects.get(event=event, recipient="0810000001")
        th = Notification.objects.get(event=event, recipient="0810000002")
        assert not THAI.search(en.subject + en.body), en.body
        assert "Revenue desk" in en.body and f"{local:%a}" in en.body and f"{local:%b} {local.year + 543} {local:%H:%M}" in en.body
        assert f"{local.year + 543} {local:%H:%M}" in th.body and "ยกเลิกหรือเลื่อนนัด" in th.body
    # Moving a booking keeps its language.
    later = future_slot(queue, days=1, hour=10)
    assert queue_services.move_booking(token=english.token, slot_id=later.pk).language == "en"
    assert Booking.objects.get(phone="0810000001", status="booked").language == "en"


def test_every_eservice_notification_has_its_english_text(org):
    """No Thai left in any e-service notification rendered in English (org, service and queue have English
    names here), and every one renders in Thai too."""
    request_obj = make_request(org)
    request_obj.service_type.name_en = "General request"
    queue = QueueFactory(organization=org, name_en="Revenue desk", letter="A")  # a ticket letter is data
    booking = queue_services.book(slot_id=future_slot(queue).pk, name="John", phone="0810000001", confirm=False)
    from eservice.workflow import Status

    context = {"request": request_obj, "service": request_obj.service_type, "organization": org,
               "url": "https://example.org/t", "status": Status.CHECKING.label, "note": "",
               "message": "Please attach", "items": ["house registration"], "booking": booking, "queue": queue,
               "start": timezone.now() + dt.timedelta(days=1), "old_start": timezone.now() + dt.timedelta(hours=3),
               "old_ticket": "A-009"}
    for event in EVENTS:
        subject, body = render_message(event, "en", context)
        assert subject and body and not THAI.search(subject + body), (event, subject, body)
        subject, body = render_message(event, "th", context)
        assert THAI.search(subject) and THAI.search(body), (event, subject, body)

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from eservice.models import Booking, Closure

from .factories import QueueFactory, future_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_slots_list_and_book(api, org):
    queue = QueueFactory(organization=org, places_per_slot=1)
    day = timezone.localdate() + dt.timedelta(days=1)
    response = api.get("/api/queue/slots/", {"organization": org.slug, "date": day.isoformat(), "queue": queue.code})
    assert response.status_code == 200
    rows = response.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert rows and set(rows[0]) == {"id", "queue", "start", "end", "capacity", "remaining"}
    assert rows[0]["queue"] == queue.code and rows[0]["remaining"] == 1
    created = api.post("/api/queue/bookings/", {"slot": rows[0]["id"], "name": "สมชาย", "phone": "0812345678"},
                       format="json")
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"ticket", "slot", "start", "cancel_url"} and body["ticket"] == "ก-001"
    assert body["cancel_url"].startswith("http") and "/cancel/" in body["cancel_url"]
    full = api.post("/api/queue/bookings/", {"slot": rows[0]["id"], "name": "สมหญิง", "phone": "0812345679"},
                    format="json")
    assert full.status_code == 409 and "เต็ม" in full.json()["detail"]


def test_bad_input_is_400_and_closed_is_409(api, org):
    queue = QueueFactory(organization=org)
    assert api.get("/api/queue/slots/", {"organization": org.slug, "date": "31/12/2568"}).status_code == 400
    assert api.get("/api/queue/slots/", {"date": "2026-01-01"}).status_code == 400
    slot = future_slot(queue)
    for payload in ({"slot": slot.pk, "name": "ก", "phone": "12"}, {"slot": "x", "name": "ก", "phone": "0812345678"},
                    {"slot": slot.pk, "phone": "0812345678"}, {"slot": 999999, "name": "ก", "phone": "0812345678"},
                    {"slot": True, "name": "ก", "phone": "0812345678"}, {"slot": slot.pk, "name": "ก" * 201,
                                                                         "phone": "0812345678"},
                    {"slot": slot.pk, "name": "ก"}, {"slot": slot.pk, "name": "ก", "phone": 812345678},
                    {"slot": -1, "name": " ", "phone": ""}):
        assert api.post("/api/queue/bookings/", payload, format="json").status_code == 400, payload
    errors = api.post("/api/queue/bookings/", {"slot": "x", "name": " ", "phone": "12"}, format="json").json()
    assert set(errors) >= {"slot", "name", "phone"} and "เบอร์โทรศัพท์ไม่ถูกต้อง" in errors["phone"][0]
    # Thai digits and dashes in the phone number are fine, like on the web form.
    assert api.post("/api/queue/bookings/", {"slot": str(slot.pk), "name": " สมชาย ", "phone": "๐๘๑-๒๓๔-๕๖๗๘"},
                    format="json").status_code == 201
    assert Booking.objects.get().phone == "0812345678" and Booking.objects.get().name == "สมชาย"
    Booking.objects.all().delete()
    type(slot).objects.filter(pk=slot.pk).update(booked=0)
    Closure.objects.create(organization=org, date=slot.date, reason="ปิด")
    closed = api.post("/api/queue/bookings/", {"slot": slot.pk, "name": "ก", "phone": "0812345678"}, format="json")
    assert closed.status_code == 409
    assert not Booking.objects.exists()


def test_queue_api_is_throttled(api, org, settings):
    settings.QUEUE_API_BOOKING_RATE = "2/min"
    queue = QueueFactory(organization=org, places_per_slot=10)
    slot = future_slot(queue)
    codes = [api.post("/api/queue/bookings/", {"slot": slot.pk, "name": "ก", "phone": f"081000000{i}"},
                      format="json").status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_queue_api_in_openapi_schema(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert "/api/queue/slots/" in schema["paths"] and "/api/queue/bookings/" in schema["paths"]
    post = schema["paths"]["/api/queue/bookings/"]["post"]
    assert {"201", "400", "409"} <= set(post["responses"])
    assert post.get("security") in ([{}], [], None) or {} in post["security"]

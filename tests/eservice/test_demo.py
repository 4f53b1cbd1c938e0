import pytest
from django.apps import apps
from django.utils import timezone

from eservice.models import Queue, ServiceRequest, ServiceType, Slot
from eservice.queues import selectors
from eservice.workflow import Status
from portal.models import Department

pytestmark = pytest.mark.django_db


def _with_departments(org):
    for code, name in [("clerk", "สำนักปลัด"), ("finance", "กองคลัง"), ("works", "กองช่าง"),
                       ("welfare", "กองสวัสดิการสังคม"), ("health", "กองสาธารณสุขฯ")]:
        Department.objects.create(organization=org, code=code, name_th=name)
    return org


def test_load_demo_is_idempotent_with_every_state_and_bookable_queues(org):
    config = apps.get_app_config("eservice")
    _with_departments(org)
    config.load_demo(org)
    config.load_demo(org)
    assert ServiceType.objects.filter(organization=org).count() >= 5
    states = set(ServiceRequest.objects.filter(organization=org).values_list("status", flat=True))
    assert states == set(Status.values)
    assert ServiceRequest.objects.filter(organization=org).count() == len(Status.values)
    today = timezone.localdate()
    for queue in Queue.objects.filter(organization=org):
        open_days = [d for d, is_open in selectors.bookable_days(queue, today) if is_open]
        assert len(open_days) == 14
        assert set(Slot.objects.filter(queue=queue).values_list("date", flat=True)) >= set(open_days) - {today}


def test_data_feeds_are_aggregates(org):
    from eservice.queues import services
    from tests.eservice.factories import QueueFactory, future_slot, make_request

    make_request(org)
    make_request(org)
    queue = QueueFactory(organization=org)
    services.book(slot_id=future_slot(queue).pk, name="ก", phone="0810000001")
    feeds = {f.name: f for f in apps.get_app_config("eservice").data_feeds()}
    rows = list(feeds["eservice-requests-by-service-month"].rows(org))
    assert rows == [{"service_code": "general-request", "service_name": "คำร้องทั่วไป",
                     "month": timezone.localtime().strftime("%Y-%m"), "requests": 2}]
    days = list(feeds["eservice-queue-bookings-per-day"].rows(org))
    assert days[0]["bookings"] == 1 and days[0]["served"] == 0 and "phone" not in days[0]
    for feed in feeds.values():
        assert {f.name for f in feed.fields} >= set((rows if "requests" in feed.name else days)[0])

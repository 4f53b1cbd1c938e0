"""Demo data: five or more service types from the catalogue, requests in every state, and bookable queues for the
next 14 working days. Idempotent: a second run adds nothing."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import OpeningHours, Queue, ServiceRequest, ServiceType
from .queues import selectors as queue_selectors
from .queues import services as queue_services
from .queues.standard import QUEUES
from .requests import services
from .workflow import Status

DEMO_TEMPLATES = ["general-request", "service-request", "tap-water-connection", "water-truck", "street-light-repair",
                  "garbage-bin", "elderly-allowance", "building-permit"]
# A path through the workflow for each demo request: (target, note).
PATHS = {
    Status.RECEIVED: [],
    Status.CHECKING: [(Status.CHECKING, "")],
    Status.WAITING_CITIZEN: [(Status.CHECKING, ""), (Status.WAITING_CITIZEN, "กรุณาแนบสำเนาทะเบียนบ้าน")],
    Status.APPROVED: [(Status.CHECKING, ""), (Status.APPROVED, "อนุมัติตามคำร้อง")],
    Status.REJECTED: [(Status.CHECKING, ""), (Status.REJECTED, "ที่ตั้งอยู่นอกเขตให้บริการ")],
    Status.COMPLETED: [(Status.CHECKING, ""), (Status.APPROVED, "อนุมัติ"), (Status.COMPLETED, "")],
    Status.CANCELLED: [(Status.CANCELLED, "ผู้ยื่นขอยกเลิก")],
}
DEMO_ANSWERS = {
    "subject": "ขอหนังสือรับรอง", "detail": "ขอหนังสือรับรองที่อยู่เพื่อใช้สมัครงาน",
}


def _queues(organization):
    queues = []
    for code, name_th, name_en, dept_code, letter in QUEUES:
        queue, created = Queue.objects.get_or_create(
            organization=organization, code=code,
            defaults={"name_th": name_th, "name_en": name_en, "letter": letter, "slot_minutes": 30,
                      "places_per_slot": 4, "counters": 2, "location": "ที่ทำการองค์กร ชั้น 1",
                      "department": organization.departments.filter(code=dept_code).first()})
        if created:
            OpeningHours.objects.bulk_create(
                [OpeningHours(queue=queue, weekday=d, opens=dt.time(8, 30), closes=dt.time(12, 0)) for d in range(5)]
                + [OpeningHours(queue=queue, weekday=d, opens=dt.time(13, 0), closes=dt.time(16, 30))
                   for d in range(5)])
        queues.append(queue)
    return queues


def load_demo(organization, *, stdout=None) -> list[tuple[str, str]]:
    with transaction.atomic():
        queues = _queues(organization)
        types = [services.create_from_template(organization=organization, template_key=key,
                                               queue=queues[2] if key == "general-request" else None)
                 for key in DEMO_TEMPLATES]
        general = next(t for t in types if t.code == "general-request")
        if not ServiceRequest.objects.filter(organization=organization).exists():
            for index, state in enumerate(PATHS):
                request_obj = services.submit_request(
                    service_type=general, answers=DEMO_ANSWERS, applicant_name=f"ผู้ยื่นตัวอย่าง {index + 1}",
                    phone=f"08100000{index:02d}", consent=True)
                for target, note in PATHS[state]:
                    if target == Status.WAITING_CITIZEN:
                        services.ask_for_documents(request_obj=request_obj, message=note, items=["สำเนาทะเบียนบ้าน"])
                    else:
                        services.change_status(request_obj=request_obj, to_status=target, note=note)
    # Slots for the booking window (outside the transaction above: each day is its own idempotent insert).
    today = timezone.localdate()
    booked = 0
    for queue in Queue.objects.filter(organization=organization).prefetch_related("hours"):
        for day, is_open in queue_selectors.bookable_days(queue, today):
            if is_open:
                slots = queue_services.ensure_slots(queue=queue, day=day)
                if day > today and slots and not slots[0].booked and booked < 6:
                    try:
                        queue_services.book(slot_id=slots[0].pk, name="ผู้จองตัวอย่าง", phone=f"08900000{booked:02d}")
                        booked += 1
                    except (queue_services.SlotUnavailable, ValidationError):
                        pass
    if stdout is not None:
        stdout.write(f"eservice: {ServiceType.objects.filter(organization=organization).count()} services, "
                     f"{len(QUEUES)} queues for {organization.slug}\n")
    return []

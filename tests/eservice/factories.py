import datetime as dt
import io

import factory
from django.utils import timezone

from eservice.models import (
    Booking,
    Closure,
    DayCounter,
    DocumentRequest,
    FormField,
    FormVersion,
    OpeningHours,
    Queue,
    RequestDocument,
    RequestEvent,
    RequiredDocument,
    ServiceRequest,
    ServiceType,
    Slot,
)
from eservice.queues import services as queue_services
from eservice.requests import services as request_services
from tests.portal.factories import OrganizationFactory

VALID_ID = "1101700230708"  # mod-11 check digit correct
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
            b"trailer<</Root 1 0 R>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


class ServiceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceType

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"svc{n}")
    name_th = factory.Sequence(lambda n: f"บริการทดสอบ{n}")
    processing_days = 5


class QueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Queue
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    name_th = factory.Sequence(lambda n: f"คิวทดสอบ{n}")
    letter = "ก"
    slot_minutes = 30
    places_per_slot = 2
    lead_time_minutes = 0
    counters = 2

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        if create and extracted is not False:
            OpeningHours.objects.bulk_create([
                OpeningHours(queue=self, weekday=d, opens=dt.time(8, 30), closes=dt.time(16, 30)) for d in range(7)])


def service_with_template(organization, key="general-request", **kwargs) -> ServiceType:
    return request_services.create_from_template(organization=organization, template_key=key, **kwargs)


def make_request(organization, key="general-request", **kwargs) -> ServiceRequest:
    service_type = service_with_template(organization, key)
    defaults = {"answers": {"subject": "ขอหนังสือรับรอง", "detail": "รายละเอียด"}, "applicant_name": "สมชาย ใจดี",
                "phone": "0812345678", "email": "a@example.com", "notify_channel": "email", "consent": True}
    defaults.update(kwargs)
    return request_services.submit_request(service_type=service_type, **defaults)


def future_slot(queue, days=1, hour=9) -> Slot:
    day = timezone.localdate() + dt.timedelta(days=days)
    slots = queue_services.ensure_slots(queue=queue, day=day)
    return next(s for s in slots if timezone.localtime(s.start).hour == hour)


def _request_with_everything(organization) -> ServiceRequest:
    request_obj = make_request(organization)
    request_services.ask_for_documents(request_obj=request_obj, message="กรุณาแนบสำเนาทะเบียนบ้าน", items=["ทะเบียนบ้าน"])
    from portal.inputs.uploads import CheckedFile

    doc_request = DocumentRequest.objects.get(request=request_obj)
    request_services.upload_documents(document_request=doc_request, checked=[
        ("ทะเบียนบ้าน", CheckedFile(data=PDF_BYTES, mime="application/pdf", extension="pdf", name="house.pdf"))])
    return request_obj


def _booking(organization) -> Booking:
    queue = QueueFactory(organization=organization)
    slot = future_slot(queue)
    return queue_services.book(slot_id=slot.pk, name="ผู้จอง", phone="0891234567")


# One saved row per organization-owned model, for the cross-app tenancy and admin-action tests.
TENANCY_FACTORIES = {
    ServiceType: lambda org: service_with_template(org, "street-light-repair"),
    FormField: lambda org: service_with_template(org, "garbage-bin").fields.first(),
    RequiredDocument: lambda org: service_with_template(org, "garbage-bin").documents.first(),
    FormVersion: lambda org: service_with_template(org, "water-truck").current_version,
    ServiceRequest: lambda org: make_request(org),
    RequestEvent: lambda org: make_request(org).events.first(),
    DocumentRequest: lambda org: _request_with_everything(org).document_requests.first(),
    RequestDocument: lambda org: _request_with_everything(org).documents.first(),
    Queue: lambda org: QueueFactory(organization=org),
    OpeningHours: lambda org: QueueFactory(organization=org).hours.first(),
    Closure: lambda org: Closure.objects.create(organization=org, date=timezone.localdate() + dt.timedelta(days=3),
                                                reason="อบรม"),
    Slot: lambda org: future_slot(QueueFactory(organization=org)),
    DayCounter: lambda org: (future_slot(QueueFactory(organization=org)), DayCounter.objects.filter(
        queue__organization=org).first())[1],
    Booking: _booking,
}


def make_tenant_objects(organization):
    """One row of every e-service model for `organization` (the cross-app tenancy test)."""
    return {model: make(organization) for model, make in TENANCY_FACTORIES.items()}

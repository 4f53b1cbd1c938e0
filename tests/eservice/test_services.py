import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from eservice import catalogue, workflow
from eservice.models import FormField, FormVersion, RequestEvent, ServiceRequest
from eservice.queues import counter
from eservice.queues import services as queue_services
from eservice.requests import services as request_services
from eservice.workflow import Status
from portal.inputs.uploads import CheckedFile
from portal.models import Holiday, Notification, Role
from tests.audit import rows_for
from tests.portal.factories import staff

from .factories import PDF_BYTES, VALID_ID, make_request, service_with_template

pytestmark = pytest.mark.django_db


def test_catalogue_has_at_least_ten_templates_and_each_builds(org):
    assert len(catalogue.TEMPLATES) >= 10
    for key in catalogue.TEMPLATES:
        service_type = service_with_template(org, key)
        version = service_type.current_version
        assert version.number == 1
        assert [f["code"] for f in version.fields] == list(service_type.fields.values_list("code", flat=True))
        assert service_type.step_list() and service_type.processing_days > 0
    kinds = {f["kind"] for t in catalogue.TEMPLATES.values() for f in t["fields"]}
    assert kinds == {"text", "textarea", "number", "date", "choice", "multichoice", "citizen_id", "phone", "email",
                     "address", "point", "file"}


def test_versions_freeze_the_form_a_request_was_filed_under(org):
    service_type = service_with_template(org)
    first = make_request(org)
    assert first.form_version.number == 1
    # Unchanged definition: no new version.
    assert request_services.publish_version(service_type=service_type).number == 1
    FormField.objects.filter(service_type=service_type, code="subject").update(label_th="หัวข้อเรื่อง")
    second_version = request_services.publish_version(service_type=service_type)
    assert second_version.number == 2
    first.refresh_from_db()
    assert first.form_version.number == 1
    assert first.form_version.fields[0]["label_th"] == "เรื่อง"
    assert FormVersion.objects.filter(service_type=service_type).count() == 2


def test_submit_stores_citizen_id_only_hashed_and_masked(org):
    request_obj = make_request(org, "elderly-allowance", answers={
        "citizen_id": VALID_ID, "birth_date": "1960-01-01", "payment": {"value": "bank", "other": ""},
        "address": {"line": "1", "subdistrict": "ก", "district": "ข", "province": "ค"}})
    request_obj.refresh_from_db()
    assert VALID_ID not in str(request_obj.answers)
    assert request_obj.answers["citizen_id"] == request_obj.citizen_id_masked
    assert request_obj.citizen_id_masked.endswith("0-8") and len(request_obj.citizen_id_hash) == 64
    assert request_obj.tracking_code.startswith(org.code_prefix + "-")
    assert request_obj.events.get().to_status == Status.RECEIVED
    assert Notification.objects.filter(event="eservice_received", recipient="a@example.com").exists()


def test_deadline_counts_working_days_and_skips_holidays(org):
    monday = timezone.make_aware(dt.datetime(2025, 10, 20, 10, 0))  # 23 Oct is Chulalongkorn Day
    Holiday.objects.create(date=dt.date(2025, 10, 23), name="วันปิยมหาราช")
    service_type = service_with_template(org)
    service_type.processing_days = 5
    service_type.save()
    request_services.publish_version(service_type=service_type)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=monday):
        request_obj = make_request(org)
    # Mon + 5 working days, Thursday a holiday: Tue, Wed, Fri, Mon, Tue -> 28 Oct.
    assert timezone.localtime(request_obj.deadline).date() == dt.date(2025, 10, 28)


def test_workflow_table_and_notes():
    assert set(workflow.allowed_targets(Status.RECEIVED)) >= {Status.CHECKING, Status.APPROVED}
    with pytest.raises(ValidationError):
        workflow.check(Status.COMPLETED, Status.CHECKING)
    with pytest.raises(ValidationError):
        workflow.check(Status.CHECKING, Status.REJECTED, "")  # a rejection needs the reason
    assert workflow.check(Status.CHECKING, Status.REJECTED, "นอกเขต").target == Status.REJECTED


def test_full_cycle_documents_result_rating(org):
    officer = staff(org, Role.OFFICER)
    request_obj = make_request(org)
    request_services.change_status(request_obj=request_obj, to_status=Status.CHECKING, actor=officer)
    doc_request = request_services.ask_for_documents(request_obj=request_obj, message="กรุณาแนบสำเนาทะเบียนบ้าน",
                                             items=["สำเนาทะเบียนบ้าน"], actor=officer)
    request_obj.refresh_from_db()
    assert request_obj.status == Status.WAITING_CITIZEN
    assert Notification.objects.filter(event="eservice_documents_asked").exists()
    with pytest.raises(ValidationError):
        request_services.upload_documents(document_request=doc_request, checked=[])  # not every item
    pdf = CheckedFile(data=PDF_BYTES, mime="application/pdf", extension="pdf", name="house.pdf")
    request_services.upload_documents(document_request=doc_request, checked=[("สำเนาทะเบียนบ้าน", pdf)])
    request_obj.refresh_from_db()
    assert request_obj.status == Status.CHECKING and request_obj.documents.count() == 1
    with pytest.raises(ValidationError):
        request_services.attach_result(request_obj=request_obj, checked=pdf, actor=officer)  # no decision yet
    with pytest.raises(ValidationError):
        request_services.rate(request_obj=request_obj, rating=5)
    request_services.change_status(request_obj=request_obj, to_status=Status.APPROVED, note="อนุมัติ", actor=officer)
    request_services.attach_result(request_obj=request_obj, checked=pdf, actor=officer)
    request_obj.refresh_from_db()
    assert request_obj.result_file.name.startswith("eservice/results/")
    assert request_obj.result_file.storage.exists(request_obj.result_file.name)
    request_services.rate(request_obj=request_obj, rating=4, comment="รวดเร็ว")
    with pytest.raises(ValidationError):
        request_services.rate(request_obj=request_obj, rating=5)
    kinds = list(RequestEvent.objects.filter(request=request_obj).values_list("kind", flat=True))
    assert {"docs_asked", "docs_uploaded", "result", "rated"} <= set(kinds)


def test_other_organizations_staff_cannot_act(org, other_org):
    outsider = staff(other_org, Role.ADMINISTRATOR)
    auditor = staff(org, Role.AUDITOR)
    request_obj = make_request(org)
    for user in (outsider, auditor):
        with pytest.raises(PermissionDenied):
            request_services.change_status(request_obj=request_obj, to_status=Status.CHECKING, actor=user)
        with pytest.raises(PermissionDenied):
            request_services.add_note(request_obj=request_obj, message="x", actor=user)
    assert ServiceRequest.objects.get().status == Status.RECEIVED


def test_assign_only_staff_of_the_organization(org, other_org):
    admin = staff(org, Role.ADMINISTRATOR)
    outsider = staff(other_org, Role.OFFICER)
    request_obj = make_request(org)
    with pytest.raises(ValidationError):
        request_services.assign(request_obj=request_obj, assignee=outsider, actor=admin)
    officer = staff(org, Role.OFFICER)
    assert request_services.assign(request_obj=request_obj, assignee=officer, actor=admin).assignee == officer


def test_submit_refuses_without_consent(org):
    with pytest.raises(ValidationError):
        make_request(org, consent=False)
    assert not ServiceRequest.objects.exists()


def test_citizen_actions_name_the_citizen_and_the_channel_with_the_tracking_code(org):
    """No login: the audit row names the citizen by the channel (citizen:web, citizen:open311) and carries the
    tracking code; a request filed at the counter names the officer who filed it."""

    def trail(obj):
        return [(r.additional_data["event"], r.additional_data["actor"], r.additional_data.get("tracking_code"))
                for r in reversed(rows_for(obj))]

    request_obj = make_request(org)
    officer = staff(org, Role.ADMINISTRATOR)
    doc_request = request_services.ask_for_documents(request_obj=request_obj, message="สำเนา", items=["ทะเบียนบ้าน"],
                                             actor=officer)
    pdf = CheckedFile(data=PDF_BYTES, mime="application/pdf", extension="pdf", name="house.pdf")
    request_services.upload_documents(document_request=doc_request, checked=[("ทะเบียนบ้าน", pdf)])
    request_services.change_status(request_obj=request_obj, to_status=Status.APPROVED, actor=officer)
    request_services.rate(request_obj=request_obj, rating=5)
    code = request_obj.tracking_code
    citizen_rows = [row for row in trail(request_obj) if row[1].startswith("citizen:")]
    assert citizen_rows == [("eservice.request.submitted", "citizen:web", code),
                            ("eservice.request.documents_uploaded", "citizen:web", code),
                            ("eservice.request.rated", "citizen:web", code)]
    assert rows_for(request_obj, "eservice.request.submitted").get().actor is None
    by_api = make_request(org, channel=ServiceRequest.Channel.OPEN311)
    assert trail(by_api) == [("eservice.request.submitted", "citizen:open311", by_api.tracking_code)]
    at_counter = make_request(org, channel=ServiceRequest.Channel.COUNTER, actor=officer)
    assert rows_for(at_counter, "eservice.request.submitted").get().actor == officer


def test_a_citizen_cancelling_or_moving_a_booking_is_recorded_with_the_ticket(org):

    from .factories import QueueFactory, future_slot

    queue = QueueFactory(organization=org)
    first = queue_services.book(slot_id=future_slot(queue).pk, name="ก", phone="0810000001")
    queue_services.move_booking(token=first.token, slot_id=future_slot(queue, hour=10).pk)
    second = queue_services.book(slot_id=future_slot(queue, hour=11).pk, name="ข", phone="0810000002")
    queue_services.cancel_booking(token=second.token)
    for booking, event in ((first, "eservice.booking.moved"), (second, "eservice.booking.cancelled")):
        row = rows_for(booking, event).get()
        assert row.additional_data["actor"] == "citizen:web" and row.additional_data["ticket"] == booking.ticket
    assert rows_for(second, "eservice.booking.cancelled").get().changes == {"status": ["booked", "cancelled"]}
    moved = rows_for(first, "eservice.booking.moved").get().changes
    assert set(moved) == {"start", "ticket"} and moved["start"][0] < moved["start"][1]


def test_a_booking_names_the_citizen_and_the_channel_on_its_own_audit_row(org):
    from auditlog.models import LogEntry

    from .factories import QueueFactory, future_slot

    queue = QueueFactory(organization=org)
    web = queue_services.book(slot_id=future_slot(queue).pk, name="ก", phone="0810000001")
    api = queue_services.book(slot_id=future_slot(queue).pk, name="ข", phone="0810000002", confirm=False, channel="api")
    for booking, actor in ((web, "citizen:web"), (api, "citizen:api")):
        row = LogEntry.objects.get(object_pk=str(booking.pk), additional_data__event="eservice.booking.booked")
        assert row.additional_data == {"organization_id": org.pk, "event": "eservice.booking.booked",
                                       "actor": actor, "ticket": booking.ticket}
    officer = staff(org, Role.ADMINISTRATOR)
    counter.finish(booking=web, served=False, actor=officer)  # a staff save of the same booking names no citizen
    assert LogEntry.objects.filter(object_pk=str(web.pk), additional_data__actor="citizen:web").count() == 1

import re

import pytest
from django.contrib import admin as django_admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eservice.models import ServiceRequest, ServiceType
from eservice.workflow import Status
from portal.models import Role
from tests.portal.factories import staff

from .factories import PDF_BYTES, TENANCY_FACTORIES, make_request, service_with_template

pytestmark = pytest.mark.django_db
# Models with their own admin pages (the others are inlines of these).
REGISTERED = {m: f for m, f in TENANCY_FACTORIES.items() if m in django_admin.site._registry}


def test_every_admin_list_and_change_page_opens(client, org):
    admin = staff(org, Role.ADMINISTRATOR)
    client.force_login(admin)
    for model, make in REGISTERED.items():
        obj = make(org)
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200, change


def test_other_organizations_rows_are_404_in_the_admin(client, org, other_org):
    client.force_login(staff(other_org, Role.ADMINISTRATOR))
    for model, make in REGISTERED.items():
        obj = make(org)
        meta = model._meta
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code in (302, 403, 404), change
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200
        assert changelist.context["cl"].result_count == 0, meta.model_name


def test_actions_ask_documents_decide_attach_result_export(client, org):
    officer = staff(org, Role.OFFICER)
    client.force_login(officer)
    request_obj = make_request(org)
    act = reverse("admin:eservice_servicerequest_act", args=[request_obj.pk])
    change = reverse("admin:eservice_servicerequest_change", args=[request_obj.pk])
    page = client.get(change).content.decode()
    assert "ขอเอกสารเพิ่ม" in page and request_obj.tracking_code in page
    client.post(act, {"action": "ask", "message": "", "items": "ทะเบียนบ้าน"})
    assert ServiceRequest.objects.get().status == Status.RECEIVED  # no message: nothing saved
    client.post(act, {"action": "ask", "message": "กรุณาแนบสำเนาทะเบียนบ้าน", "items": "สำเนาทะเบียนบ้าน"})
    assert ServiceRequest.objects.get().status == Status.WAITING_CITIZEN
    client.post(act, {"action": "status", "to_status": Status.REJECTED, "message": ""})
    assert ServiceRequest.objects.get().status == Status.WAITING_CITIZEN  # a rejection needs its reason
    client.post(act, {"action": "status", "to_status": Status.APPROVED, "message": "อนุมัติ"})
    client.post(act, {"action": "result", "result_file": SimpleUploadedFile("permit.exe", b"MZ\x90\x00")})
    assert not ServiceRequest.objects.get().result_file
    client.post(act, {"action": "result", "result_file": SimpleUploadedFile("permit.pdf", PDF_BYTES)})
    assert ServiceRequest.objects.get().result_file
    client.post(act, {"action": "note", "message": "โทรแจ้งแล้ว"})
    assert ServiceRequest.objects.get().events.filter(kind="note", is_public=False).exists()
    result = client.get(reverse("admin:eservice_servicerequest_result", args=[request_obj.pk]))
    assert result.status_code == 200
    changelist = reverse("admin:eservice_servicerequest_changelist")
    csv = client.post(changelist, {"action": "export_csv", "_selected_action": [request_obj.pk]})
    assert csv.status_code == 200 and request_obj.tracking_code in csv.content.decode("utf-8-sig")
    xlsx = client.post(changelist, {"action": "export_xlsx", "_selected_action": [request_obj.pk]})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("admin:eservice_servicerequest_satisfaction")).status_code == 200
    assert client.get(changelist, {"overdue": "yes"}).status_code == 200


def test_auditor_reads_but_cannot_act(client, org):
    client.force_login(staff(org, Role.AUDITOR))
    request_obj = make_request(org)
    assert client.get(reverse("admin:eservice_servicerequest_change", args=[request_obj.pk])).status_code == 200
    act = reverse("admin:eservice_servicerequest_act", args=[request_obj.pk])
    assert client.post(act, {"action": "status", "to_status": Status.CHECKING}).status_code == 403
    assert ServiceRequest.objects.get().status == Status.RECEIVED


def test_admin_creates_from_template_as_a_draft_and_saving_the_manual_publishes_nothing(client, org):
    admin = staff(org, Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(reverse("admin:eservice_servicetype_from_template"),
                           {"organization": org.pk, "template": "garbage-bin"})
    service_type = ServiceType.objects.get(code="garbage-bin")
    assert response.status_code == 302 and service_type.current_version is None  # published from the builder
    change = reverse("admin:eservice_servicetype_change", args=[service_type.pk])
    page = client.get(change).content.decode()
    # Roles are ticked by name; the form's fields are not edited here (no choice lines to type).
    assert 'type="checkbox" name="handling_roles" value="officer"' in page and "formfield_set" not in page
    assert "fields-TOTAL_FORMS" not in page
    officer = staff(org, Role.OFFICER)
    client.force_login(officer)
    assert client.post(reverse("admin:eservice_servicetype_from_template"),
                       {"organization": org.pk, "template": "water-truck"}).status_code == 403
    service_with_template(org, "water-truck")


def test_change_page_is_one_form_refusal_keeps_everything_and_approval_carries_the_result(client, org):
    from portal.models import Department

    works = Department.objects.create(organization=org, code="works", name_th="กองช่าง")
    officer = staff(org, Role.OFFICER, first_name="สมศรี", last_name="ใจดี", department=works)
    staff(org, Role.AUDITOR, username="the-auditor", first_name="อรุณี", last_name="ตรวจตรา")
    client.force_login(officer)
    request_obj = make_request(org)
    act = reverse("admin:eservice_servicerequest_act", args=[request_obj.pk])
    page = client.get(reverse("admin:eservice_servicerequest_change", args=[request_obj.pk])).content.decode()
    # Assignees by name and department; only those who may act (no auditor, no usernames).
    assert ">สมศรี ใจดี · กองช่าง<" in page and "อรุณี" not in page and "the-auditor" not in page
    # A refusal (no reason for a rejection) saves nothing and keeps the action, the message and the file.
    refused = client.post(act, {"action": "status", "to_status": Status.REJECTED, "message": "",
                                "assignee": officer.pk,
                                "result_file": SimpleUploadedFile("decision.pdf", PDF_BYTES)})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert '<option value="status" selected>' in body and f'<option value="{Status.REJECTED}" selected>' in body
    assert "decision.pdf" in body and "result_file__kept" in body
    obj = ServiceRequest.objects.get()
    assert obj.status == Status.RECEIVED and obj.assignee is None and not obj.result_file
    typed = client.post(act, {"action": "status", "to_status": Status.APPROVED, "message": "",
                              "assignee": "999999"})
    assert typed.status_code == 400  # a stranger as assignee: refused, nothing saved
    token = re.search(r'name="result_file__kept" value="([^"]+)"', body).group(1)
    # Approving with the result file (kept from the refused post) and the assignee: one submission.
    done = client.post(act, {"action": "status", "to_status": Status.APPROVED, "message": "อนุมัติตามคำขอ",
                             "assignee": officer.pk, "result_file__kept": token})
    assert done.status_code == 302
    obj.refresh_from_db()
    assert obj.status == Status.APPROVED and obj.assignee == officer and obj.result_name == "decision.pdf"
    listing = client.get(reverse("admin:eservice_servicerequest_changelist")).content.decode()
    assert "สมศรี ใจดี" in listing and f">{officer.username}<" not in listing  # the queue names people

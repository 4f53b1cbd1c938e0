import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from complaints.demo import ensure_categories
from complaints.models import Complaint
from portal.models import Department, Role
from tests.portal.factories import staff

from .factories import AssetFactory, jpeg_bytes, make_complaint, make_tenant_objects

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(org):
    works = Department.objects.create(organization=org, code="works", name_th="กองช่าง")
    return staff(org, Role.OFFICER, department=works)


def act(client, complaint, **data):
    return client.post(reverse("admin:complaints_complaint_act", args=[complaint.pk]), data)


def test_officer_moves_a_complaint_through_the_workflow(client, org, officer):
    complaint = make_complaint(org)
    client.force_login(officer)
    page = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    assert page.status_code == 200 and 'id="workflow-actions"' in page.content.decode()
    assert act(client, complaint, action="status", to_status="accepted", public="on").status_code == 302
    bad = act(client, complaint, action="status", to_status="resolved", note="", public="on")
    assert bad.status_code == 400 and "หมายเหตุ" in bad.content.decode()
    forbidden = act(client, complaint, action="status", to_status="submitted", public="on")
    assert forbidden.status_code == 400
    photo = SimpleUploadedFile("after.jpg", jpeg_bytes(), content_type="image/jpeg")
    ok = client.post(reverse("admin:complaints_complaint_act", args=[complaint.pk]),
                     {"action": "status", "to_status": "resolved", "note": "ซ่อมแล้ว", "public": "on", "photo": photo})
    assert ok.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.photos.filter(kind="after").exists()
    act(client, complaint, action="note", note="โทรแจ้งผู้แจ้งแล้ว")
    assert complaint.updates.filter(kind="note", is_public=False).exists()


def test_filters_export_and_bulk(client, org, officer):
    cats = ensure_categories(org)
    a = make_complaint(org, cats["road"])
    b = make_complaint(org, cats["garbage"])
    Complaint.objects.filter(pk=b.pk).update(sla_deadline="2020-01-01T00:00:00Z")
    client.force_login(officer)
    url = reverse("admin:complaints_complaint_changelist")
    page = client.get(url, {"overdue": "yes"}).content.decode()
    assert b.tracking_code in page and a.tracking_code not in page and "เกินกำหนด" in page
    page = client.get(url, {"queue": "mine"}).content.decode()
    assert a.tracking_code in page  # road routes to works
    csv_response = client.post(url, {"action": "export_csv", "_selected_action": [a.pk, b.pk]})
    assert csv_response["Content-Type"].startswith("text/csv") and a.tracking_code in csv_response.content.decode()
    xlsx = client.post(url, {"action": "export_xlsx", "_selected_action": [a.pk, b.pk]})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3
    client.post(url, {"action": "bulk_accept", "_selected_action": [a.pk, b.pk]})
    assert set(Complaint.objects.values_list("status", flat=True)) == {"accepted"}


def test_staff_file_on_behalf(client, org, officer):
    cats = ensure_categories(org)
    client.force_login(officer)
    response = client.post(reverse("admin:complaints_complaint_file"), {
        "category": cats["water_supply"].pk, "description": "โทรมาแจ้งน้ำไม่ไหล", "village": "หมู่ 3",
        "channel": "phone", "contact_phone": "0811111111", "notify_channel": "sms"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.filed_by == officer


def test_qr_sheet_pdf(client, org):
    client.force_login(staff(org, Role.ADMINISTRATOR))
    assets = [AssetFactory(organization=org) for _ in range(3)]
    response = client.post(reverse("admin:complaints_asset_changelist"),
                           {"action": "print_qr_sheet", "_selected_action": [a.pk for a in assets]})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_tenant_isolation_in_admin(client, org, other_org):
    mine = make_tenant_objects(org)
    theirs = make_tenant_objects(other_org)
    user = staff(org, Role.ADMINISTRATOR)
    client.force_login(user)
    assert client.get(reverse("admin:complaints_complaint_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:complaints_complaint_change", args=[theirs.pk])).status_code == 404
    assert act(client, theirs, action="status", to_status="in_progress").status_code == 404
    listing = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert theirs.tracking_code not in listing and mine.tracking_code in listing
    for model in ("asset", "category", "apikey"):
        from django.apps import apps

        obj = apps.get_model("complaints", model).objects.filter(organization=other_org).first()
        assert client.get(reverse(f"admin:complaints_{model}_change", args=[obj.pk])).status_code == 404


def test_only_officers_and_administrators_can_be_assigned(client, org, officer):
    from django.core.exceptions import ValidationError

    from complaints import services

    auditor = staff(org, Role.AUDITOR, username="the-auditor")
    legal = staff(org, Role.LEGAL_OFFICER, username="the-legal")
    complaint = make_complaint(org)
    client.force_login(officer)
    page = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk])).content.decode()
    assert f">{officer.username}<" in page
    assert ">the-auditor<" not in page and ">the-legal<" not in page
    for user in (auditor, legal):
        with pytest.raises(ValidationError):
            services.assign(complaint=complaint, user=officer, assignee=user)
    assert services.assign(complaint=complaint, user=officer, assignee=officer) is not None


def test_staff_dashboard_counts_non_public_never_corruption_and_is_scoped(client, org, other_org, officer):
    cats = ensure_categories(org)
    hidden = cats["nuisance"]
    hidden.is_public = False
    hidden.save()
    make_complaint(org, hidden, latitude=org.latitude, longitude=org.longitude)
    make_complaint(org, cats["road"])
    from complaints import services

    services.submit_corruption_report(organization=org, category=cats["corruption"], description="เรียกรับเงิน")
    client.force_login(officer)
    page = client.get(reverse("admin:complaints_complaint_dashboard"))
    text = page.content.decode()
    assert page.status_code == 200 and hidden.name_th in text and cats["corruption"].name_th not in text
    points = client.get(reverse("admin:complaints_complaint_dashboard_map", args=[org.pk])).json()["points"]
    assert {p["category"] for p in points} == {hidden.name_th, cats["road"].name_th}
    assert client.get(reverse("admin:complaints_complaint_dashboard_map", args=[other_org.pk])).status_code == 403
    # The public dashboard leaves the non-public category out.
    public = client.get(reverse("complaints:map-data", args=[org.slug])).json()["points"]
    assert {p["category"] for p in public} == {cats["road"].name_th}

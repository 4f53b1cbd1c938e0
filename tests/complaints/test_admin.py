import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from complaints.demo import ensure_categories
from complaints.models import Complaint
from portal.models import Department, Role
from tests.portal.factories import staff

from .factories import AssetFactory, jpeg_bytes, make_complaint, make_tenant_objects, post_change_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(org):
    works = Department.objects.create(organization=org, code="works", name_th="กองช่าง")
    return staff(org, Role.OFFICER, department=works)


def change_url(complaint):
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


def act(client, complaint, files=None, fields=None, button="_act", **action):
    return post_change_page(client, change_url(complaint), action=action, fields=fields, files=files, button=button)


def test_officer_moves_a_complaint_through_the_workflow(client, org, officer):
    complaint = make_complaint(org)
    client.force_login(officer)
    page = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    assert page.status_code == 200 and 'id="workflow-actions"' in page.content.decode()
    assert act(client, complaint, action="status", to_status="accepted", public="on").status_code == 302
    bad = act(client, complaint, action="status", to_status="resolved", note="", public="on")
    assert bad.status_code == 400 and "หมายเหตุ" in bad.content.decode()
    photo = SimpleUploadedFile("after.jpg", jpeg_bytes(), content_type="image/jpeg")
    ok = act(client, complaint, files={"photo": photo}, action="status", to_status="resolved", note="ซ่อมแล้ว",
             public="on")
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


def test_qr_sheet_pdf(client, org, tmp_path):
    """Each sticker's QR, read back from the printed page with zbar, opens that asset's complaint form."""
    from PIL import Image
    from pyzbar.pyzbar import ZBarSymbol, decode

    client.force_login(staff(org, Role.ADMINISTRATOR))
    assets = [AssetFactory(organization=org) for _ in range(3)]
    response = client.post(reverse("admin:complaints_asset_changelist"),
                           {"action": "print_qr_sheet", "_selected_action": [a.pk for a in assets]})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    (tmp_path / "sheet.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "page")], check=True)
    found = decode(Image.open(next(tmp_path.glob("page*.png"))), symbols=[ZBarSymbol.QRCODE])
    urls = sorted(symbol.data.decode() for symbol in found)
    assert urls == sorted(f"http://testserver{asset.get_scan_url()}" for asset in assets)


def test_tenant_isolation_in_admin(client, org, other_org):
    mine = make_tenant_objects(org)
    theirs = make_tenant_objects(other_org)
    user = staff(org, Role.ADMINISTRATOR)
    client.force_login(user)
    assert client.get(reverse("admin:complaints_complaint_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:complaints_complaint_change", args=[theirs.pk])).status_code == 404
    assert client.post(change_url(theirs), {"act-action": "status", "act-to_status": "in_progress",
                                            "_act": "1"}).status_code == 404
    listing = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert theirs.tracking_code not in listing and mine.tracking_code in listing
    for model in ("asset", "category"):
        from django.apps import apps

        obj = apps.get_model("complaints", model).objects.filter(organization=other_org).first()
        assert client.get(reverse(f"admin:complaints_{model}_change", args=[obj.pk])).status_code == 404
    from portal.models import ApiKey
    from portal.open311.services import create_api_key

    key = create_api_key(organization=other_org, name="theirs", actor=None)[0]
    assert client.get(reverse("admin:portal_apikey_change", args=[key.pk])).status_code == 404
    mine = create_api_key(organization=org, name="mine", actor=None)[0]
    assert client.get(reverse("admin:portal_apikey_change", args=[mine.pk])).status_code == 200
    assert ApiKey.objects.count() == 2


def test_only_officers_and_administrators_can_be_assigned(client, org, officer):
    from django.core.exceptions import ValidationError

    from complaints import services

    auditor = staff(org, Role.AUDITOR, username="the-auditor")
    legal = staff(org, Role.LEGAL_OFFICER, username="the-legal")
    complaint = make_complaint(org)
    works = Department.objects.create(organization=org, code="works-x", name_th="กองช่าง")
    staff(org, Role.OFFICER, username="somsri", first_name="สมศรี", last_name="ใจดี", department=works)
    client.force_login(officer)
    page = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk])).content.decode()
    assert ">สมศรี ใจดี · กองช่าง<" in page and ">somsri<" not in page  # people by name and department
    assert f">{officer.username}<" in page  # no name recorded: the username is all there is
    assert ">the-auditor<" not in page and ">the-legal<" not in page
    for user in (auditor, legal):
        with pytest.raises(ValidationError):
            services.assign(complaint=complaint, actor=officer, assignee=user)
    assert services.assign(complaint=complaint, actor=officer, assignee=officer) is not None


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


# --- the change page is one form (edits + workflow action) ---------------------------------------------------------

@pytest.fixture
def desk(org, officer):
    """A road complaint (routed to the works department) and a second department to move it to."""
    cats = ensure_categories(org)
    complaint = make_complaint(org, cats["road"])
    parks = Department.objects.create(organization=org, code="parks", name_th="กองสวนสาธารณะ")
    return complaint, parks, cats


def test_department_change_and_action_are_saved_together(client, officer, desk):
    from auditlog.models import LogEntry

    complaint, parks, _ = desk
    client.force_login(officer)
    response = act(client, complaint, fields={"department": str(parks.pk)}, action="status", to_status="accepted",
                   note="รับเรื่องแล้ว จะออกตรวจพรุ่งนี้", public="on")
    assert response.status_code == 302 and response.url == change_url(complaint)
    complaint.refresh_from_db()
    assert complaint.department == parks and complaint.status == "accepted"
    assert list(complaint.updates.order_by("pk").values_list("kind", "author")) == [
        ("assign", officer.pk), ("status", officer.pk)]
    entry = LogEntry.objects.get_for_object(complaint).filter(changes__has_key="department").get()
    assert entry.actor == officer
    # The page's own "Save" button carries the action too.
    saved = act(client, complaint, button="_save", action="note", note="โทรนัดผู้แจ้งแล้ว")
    assert saved.status_code == 302
    assert complaint.updates.filter(kind="note", message="โทรนัดผู้แจ้งแล้ว", author=officer).exists()


def _form(response):
    import lxml.html

    return next(f for f in lxml.html.fromstring(response.content.decode()).forms if f.get("id", "").endswith("_form"))


def _form_values(response) -> dict:
    """What the page shown again sends when saved as it is (textareas as browsers read them)."""
    values = {}
    for name, value in _form(response).form_values():
        values.setdefault(name, []).append(value[1:] if value.startswith("\n") else value)
    return values


def _typed(response, name):
    value = _form(response).fields[name]
    return value[1:] if isinstance(value, str) and value.startswith("\n") else value  # as browsers read <textarea>


def test_refused_action_keeps_everything_typed_and_saves_nothing(client, officer, desk):
    from complaints import services

    complaint, parks, _ = desk
    client.force_login(officer)
    services.change_status(complaint=complaint, to_status="accepted", actor=officer)
    before = (complaint.department_id, "accepted", complaint.updates.count())
    message = "ซ่อมหลุมหน้าวัดเรียบร้อย ใช้ยางมะตอย ๒ ถุง"
    photo = SimpleUploadedFile("after.jpg", jpeg_bytes(), content_type="image/jpeg")
    # The form is valid, but the service refuses an after-repair photo on "in progress": by then the department
    # change was already written in the same transaction, which must roll back.
    response = act(client, complaint, files={"photo": photo}, fields={"department": str(parks.pk)},
                   action="status", to_status="in_progress", note=message, public="on")
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="workflow-actions-error"' in text and "แนบภาพหลังแก้ไขได้เมื่อแก้ไขเสร็จเท่านั้น" in text
    assert "กรุณาแก้ไขข้อผิดพลาดด้านล่าง" in text and "Please correct" not in text  # one language at a time
    assert _typed(response, "act-note") == message
    assert _typed(response, "act-to_status") == "in_progress" and _typed(response, "act-action") == "status"
    assert _typed(response, "department") == str(parks.pk)
    complaint.refresh_from_db()
    assert (complaint.department_id, complaint.status, complaint.updates.count()) == before
    assert not complaint.photos.exists()
    # The chosen photo was kept: the corrected page sends it again without choosing it twice.
    kept = _typed(response, "act-photo__kept")
    assert kept
    response = client.post(change_url(complaint), {
        **_form_values(response), "act-to_status": "resolved", "_act": "1"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.department_id == parks.pk
    assert complaint.photos.filter(kind="after").count() == 1


def test_stale_page_action_is_refused_with_the_message_kept(client, officer, desk):
    """Another officer closed the complaint while this page was open: the chosen status is no longer allowed."""
    from complaints import services

    complaint, parks, _ = desk
    client.force_login(officer)
    url = change_url(complaint)
    page_data = {"act-action": "status", "act-to_status": "in_progress", "act-note": "ออกตรวจแล้ว", "_act": "1"}
    services.change_status(complaint=complaint, to_status="closed", actor=officer, note="ซ้ำกับเรื่องอื่น")
    response = post_change_page(client, url, fields={"department": str(parks.pk)}, action={
        k[4:]: v for k, v in page_data.items() if k.startswith("act-")})
    assert response.status_code == 400
    assert _typed(response, "act-note") == "ออกตรวจแล้ว" and _typed(response, "department") == str(parks.pk)
    complaint.refresh_from_db()
    assert complaint.department.code == "works" and complaint.status == "closed"


def test_text_typed_without_an_action_is_not_dropped(client, officer, desk):
    complaint, _, _ = desk
    client.force_login(officer)
    response = act(client, complaint, note="ข้อความที่ลืมเลือกการดำเนินการ")
    assert response.status_code == 400 and "เลือกการดำเนินการ" in response.content.decode()
    assert _typed(response, "act-note") == "ข้อความที่ลืมเลือกการดำเนินการ"
    assert not complaint.updates.exists()


def test_refused_field_edit_keeps_the_action_typed(client, officer, desk):
    """The corruption channel's category cannot be given to an ordinary complaint (services.edit refuses)."""
    complaint, _, cats = desk
    client.force_login(officer)
    response = act(client, complaint, fields={"category": str(cats["corruption"].pk)}, action="reply",
                   note="กำลังประสานกองช่าง")
    assert response.status_code == 400
    assert _typed(response, "act-note") == "กำลังประสานกองช่าง"
    assert _typed(response, "category") == str(cats["corruption"].pk)
    complaint.refresh_from_db()
    assert complaint.category == cats["road"] and not complaint.updates.exists()

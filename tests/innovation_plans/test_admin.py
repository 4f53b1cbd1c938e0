import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from innovation_plans.models import ActivityBudget, EvidenceFile, MonitoringRecord, Plan
from portal.models import Role
from tests.innovation_plans.factories import make_plan, make_tenant_objects
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "innovation_plans" / "seeds"


def _form_data(body, prefix=""):
    """Every input of the change form, as the browser would post it back."""
    import html

    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', body):
        data[name] = value
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S):
        data[match.group(1)] = match.group(2).strip()
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(2))
        data[match.group(1)] = selected.group(1) if selected else ""
    for match in re.finditer(r'<input type="checkbox" name="([^"]+)"([^>]*)>', body):
        if "checked" not in match.group(2):
            data.pop(match.group(1), None)
        else:
            data[match.group(1)] = "on"
    return {k: html.unescape(v) for k, v in data.items() if k.startswith(prefix)}


def test_budget_grid_edits_yearly_amounts(client, org):
    plan = make_plan(org, components=1, activities=2)
    client.force_login(staff(org, Role.OFFICER))
    url = f"/admin/innovation_plans/plan/{plan.pk}/change/"
    body = client.get(url).content.decode()
    assert 'name="activities-0-budget_2566"' in body and 'name="activities-1-budget_2570"' in body
    data = _form_data(body)
    data.pop("_addanother", None)
    data.pop("_continue", None)
    data["activities-0-budget_2567"] = "๑๒,๕๐๐"  # Thai digits and a thousands comma
    data["activities-0-budget_2568"] = ""  # clearing a cell removes that year's budget
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    first = plan.activities.order_by("order").first()
    assert ActivityBudget.objects.get(activity=first, fiscal_year=2567).amount == 12500
    assert not ActivityBudget.objects.filter(activity=first, fiscal_year=2568).exists()


def test_auditor_reads_but_cannot_change_or_publish(client, org):
    plan = make_plan(org, status=Plan.Status.DRAFT)
    client.force_login(staff(org, Role.AUDITOR))
    url = f"/admin/innovation_plans/plan/{plan.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "x"}).status_code == 403
    client.post("/admin/innovation_plans/plan/", {"action": "publish_selected", "_selected_action": [plan.pk]})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert client.get("/admin/innovation_plans/plan/import/").status_code == 403


def test_publish_action(client, org):
    plan = make_plan(org, status=Plan.Status.DRAFT)
    assert (plan.status, plan.published_at) == (Plan.Status.DRAFT, None)  # only the action below can publish it
    client.force_login(staff(org, Role.OFFICER))
    response = client.post("/admin/innovation_plans/plan/",
                           {"action": "publish_selected", "_selected_action": [plan.pk]}, follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED and plan.published_at is not None
    assert "เผยแพร่แล้ว 1 แผน" in response.content.decode()


def test_other_org_objects_are_404_including_history(client, org, other_org):
    plan = make_tenant_objects(other_org)
    client.force_login(staff(org, Role.ADMINISTRATOR))
    record = MonitoringRecord.objects.get(activity__plan=plan)
    for url in (f"/admin/innovation_plans/plan/{plan.pk}/change/",
                f"/admin/innovation_plans/plan/{plan.pk}/auditlog/",
                f"/admin/innovation_plans/monitoringrecord/{record.pk}/change/",
                f"/admin/innovation_plans/activity/{record.activity_id}/change/"):
        assert client.get(url).status_code == 404, url


def test_history_shows_changes(client, org):
    plan = make_plan(org)
    from innovation_plans import services

    services.change_status(plan=plan, target=Plan.Status.DRAFT)
    client.force_login(staff(org, Role.AUDITOR))
    body = client.get(f"/admin/innovation_plans/plan/{plan.pk}/auditlog/").content.decode()
    assert "สถานะ" in body  # the changed field, by its label


def test_import_upload_reviews_before_saving_then_confirms(client, org):
    client.force_login(staff(org, Role.OFFICER))
    upload = SimpleUploadedFile("khamyai_plan.txt", (SEEDS / "khamyai_plan.txt").read_bytes())
    response = client.post("/admin/innovation_plans/plan/import/", {"organization": org.pk, "document": upload})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="import-review"' in body
    assert re.search(r"ยอดรวมที่ระบุในแผน [\d,]+ บาท ไม่ตรงกับผลรวมของรายการ [\d,]+ บาท", body) and "30,000" in body
    assert "stated_total_mismatch" not in body  # warning codes are written as sentences
    assert "ชื่อในเอกสารไม่ตรงกับองค์กรที่เลือก" in body  # test org is not คำใหญ่
    assert not Plan.objects.exists()
    token = re.search(r'name="token" value="([0-9a-f]+)"', body).group(1)
    response = client.post("/admin/innovation_plans/plan/import/confirm/", {"token": token, "confirm": "1"})
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.organization == org and plan.activities.count() == 2 and plan.source_document
    assert plan.import_warnings[0]["code"] == "stated_total_mismatch"
    # The same token cannot save twice.
    client.post("/admin/innovation_plans/plan/import/confirm/", {"token": token})
    assert Plan.objects.count() == 1


def test_import_cancel_saves_nothing(client, org):
    client.force_login(staff(org, Role.OFFICER))
    upload = SimpleUploadedFile("n.txt", (SEEDS / "nangrong_plan.txt").read_bytes())
    body = client.post("/admin/innovation_plans/plan/import/", {"organization": org.pk, "document": upload}).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', body).group(1)
    client.post("/admin/innovation_plans/plan/import/confirm/", {"token": token, "cancel": "1"})
    assert not Plan.objects.exists()


@pytest.mark.parametrize("name,content,message", [
    ("bad.txt", (SEEDS / "phannanakhon_plan.txt").read_text(encoding="utf-8").replace("๒๕,๐๐๐", "สองหมื่น", 1).encode(),
     "บรรทัด 248"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "ไม่ใช่เอกสารแผน"),
    ("notes.txt", "สวัสดีครับ นี่ไม่ใช่แผน\nแค่บันทึก\n".encode(), ""),
])
def test_import_bad_files_are_400_and_save_nothing(client, org, name, content, message):
    client.force_login(staff(org, Role.OFFICER))
    response = client.post("/admin/innovation_plans/plan/import/",
                           {"organization": org.pk, "document": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert 'id="import-errors"' in response.content.decode()
    assert message in response.content.decode()
    assert not Plan.objects.exists()


def test_import_size_limit(client, org, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client.force_login(staff(org, Role.OFFICER))
    response = client.post("/admin/innovation_plans/plan/import/", {
        "organization": org.pk, "document": SimpleUploadedFile("k.txt", (SEEDS / "khamyai_plan.txt").read_bytes())})
    assert response.status_code == 400 and "ใหญ่เกิน" in response.content.decode()


def test_import_into_other_org_is_refused(client, org, other_org):
    client.force_login(staff(org, Role.OFFICER))
    upload = SimpleUploadedFile("k.txt", (SEEDS / "khamyai_plan.txt").read_bytes())
    response = client.post("/admin/innovation_plans/plan/import/", {"organization": other_org.pk, "document": upload})
    assert response.status_code == 400 and not Plan.objects.exists()


def test_monitoring_record_with_evidence_checked_by_content(client, org):
    plan = make_plan(org, components=1, activities=1)
    activity = plan.activities.get()
    indicator = plan.indicators.first()
    user = staff(org, Role.OFFICER)
    client.force_login(user)
    base = {
        "activity": activity.pk, "fiscal_year": "๒๕๖๗", "status": "in_progress", "progress_percent": 50,
        "actual_spend": "5,000", "methods": ["surveys", "documents"], "notes": "ok",
        "indicator_actuals-TOTAL_FORMS": 1, "indicator_actuals-INITIAL_FORMS": 0,
        "indicator_actuals-0-indicator": indicator.pk, "indicator_actuals-0-actual_text": "ร้อยละ 81",
        "evidence-TOTAL_FORMS": 1, "evidence-INITIAL_FORMS": 0, "evidence-0-title": "รูป",
    }
    fake = SimpleUploadedFile("photo.pdf", b"not really a pdf")
    response = client.post("/admin/innovation_plans/monitoringrecord/add/", {**base, "evidence-0-file": fake})
    assert response.status_code == 400 and "ชนิดไฟล์ไม่รองรับ" in response.content.decode()
    assert not MonitoringRecord.objects.exists()
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%evidence\n")
    response = client.post("/admin/innovation_plans/monitoringrecord/add/", {**base, "evidence-0-file": pdf})
    assert response.status_code == 302, response.content.decode()[:2000]
    record = MonitoringRecord.objects.get()
    assert record.fiscal_year == 2567 and record.actual_spend == 5000 and record.recorded_by == user
    assert sorted(record.methods) == ["documents", "surveys"]
    assert record.indicator_actuals.get().actual_text == "ร้อยละ 81"
    evidence = EvidenceFile.objects.get()
    assert evidence.content_type == "application/pdf" and evidence.uploaded_by == user

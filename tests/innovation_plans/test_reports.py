import csv
import io
import re
import subprocess

import pytest
from openpyxl import load_workbook

from innovation_plans import services
from portal.models import BackgroundJob, Role
from tests.innovation_plans.factories import make_plan
from tests.pages import base_letters
from tests.portal.factories import OrganizationFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(org):
    plan = make_plan(org, components=2, activities=2, stated={"2567": 99999})
    services.record_monitoring(activity=plan.activities.first(), fiscal_year=2567, status="completed",
                               progress_percent=100, actual_spend=7000, methods=["documents"],
                               indicator_actuals={plan.indicators.first(): "ร้อยละ 90"})
    return plan


def _get(client, plan, fmt, year=None):
    url = f"/{plan.organization.slug}/plans/{plan.pk}/report.{fmt}" + (f"?year={year}" if year else "")
    return client.get(url)


def test_html_report_highlights_disagreement(client, plan):
    client.force_login(staff(plan.organization, Role.AUDITOR))
    body = client.get(f"/{plan.organization.slug}/plans/{plan.pk}/report/?year=2567").content.decode()
    assert "mismatch" in body and "99,999" in body
    assert "ร้อยละ 90" in body and "ดำเนินการแล้วเสร็จ" in body


def test_xlsx_numbers_and_formulas(client, plan):
    client.force_login(staff(plan.organization, Role.AUDITOR))
    response = _get(client, plan, "xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["งบประมาณ"]
    assert ws["A5"].value == "1. องค์ประกอบ 1"
    assert ws["B5"].value == 20000 and isinstance(ws["B5"].value, int)
    assert ws["H5"].value == "=SUM(B5:G5)"  # per-component total (5 years + undivided)
    assert ws["B7"].value == "=SUM(B5:B6)"  # plan total row
    assert ws["J5"].value == 99999 and ws["J5"].fill.fgColor.rgb.endswith("FBE0D0")
    acts = wb["กิจกรรม"]
    assert acts["E2"].value == 10000 and acts["K2"].value.startswith("=SUM(")


def test_csv_has_bom_and_stated_vs_computed(client, plan):
    type(plan).objects.filter(pk=plan.pk).update(import_warnings=[
        {"code": "stated_total_mismatch", "component": 1, "year": 2567, "stated": 99999, "computed": 20000,
         "message": "stated_total_mismatch"}])
    client.force_login(staff(plan.organization, Role.AUDITOR))
    response = _get(client, plan, "csv", 2567)
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    stated = next(r for r in rows if r[:2] == ["1. องค์ประกอบ 1", "ตามเอกสาร"])
    computed = next(r for r in rows if r[:2] == ["1. องค์ประกอบ 1", "คำนวณ"])
    assert stated[3] == "99999" and computed[3] == "20000"
    # The warnings section speaks in sentences, as the XLSX does, never in raw codes.
    warnings = rows[next(i for i, r in enumerate(rows) if r == ["# ข้อสังเกต"]) + 2:]
    assert warnings and all(r[0] and not re.search(r"[a-z]+_[a-z]+", ",".join(r)) for r in warnings), warnings


def test_pdf_is_a_pdf_with_thai_text(client, plan, tmp_path):
    client.force_login(staff(plan.organization, Role.AUDITOR))
    response = _get(client, plan, "pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    # Thai is set in the portal's own Thai font, embedded (without it the text would fall back to a font with no
    # Thai shaping data, or none at all) ...
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert any("SarabunThai" in row[0] for row in rows), fonts
    assert all(row[-5] == "yes" for row in rows), fonts  # the "emb" column: every font travels with the file
    # ... and the text layer holds the Thai words (base letters: marks may come apart in drawing order)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert base_letters(plan.organization.name_th) in base_letters(text)


def test_officer_of_other_org_cannot_download(client, plan, other_org):
    client.force_login(staff(other_org, Role.ADMINISTRATOR))
    assert _get(client, plan, "pdf").status_code == 403


def test_summary_across_organizations(client, plan):
    second_org = OrganizationFactory()
    second = make_plan(second_org)
    hidden = make_plan(OrganizationFactory())
    auditor = staff(plan.organization, Role.AUDITOR)
    from portal.models import Membership

    Membership.objects.create(user=auditor, organization=second_org, role=Role.AUDITOR)
    client.force_login(auditor)
    body = client.get("/plans/audit/").content.decode()
    assert plan.title in body and second.title in body and hidden.title not in body
    xlsx = load_workbook(io.BytesIO(client.get("/plans/audit/summary.xlsx").content))
    titles = [row[2].value for row in xlsx.active.iter_rows(min_row=4) if row[2].value]
    assert sorted(titles) == sorted([plan.title, second.title])
    # Planned activities over the whole plan are activities, not activity-years.
    planned = {row[2].value: row[7].value for row in xlsx.active.iter_rows(min_row=4) if row[2].value}
    assert planned[plan.title] == plan.activities.count() == 4
    in_2567 = load_workbook(io.BytesIO(client.get("/plans/audit/summary.xlsx", {"year": "2567"}).content))
    assert {row[2].value: row[7].value for row in in_2567.active.iter_rows(min_row=4) if row[2].value}[plan.title] == 4


def test_summary_needs_a_report_role(client, org):
    client.force_login(staff(org, Role.LEGAL_OFFICER))
    assert client.get("/plans/audit/").status_code == 403


def test_background_report_job_progress(client, plan, django_capture_on_commit_callbacks):
    user = staff(plan.organization, Role.AUDITOR)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{plan.organization.slug}/plans/{plan.pk}/report/background/", {"fmt": "xlsx"})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/jobs/{job.uuid}/"
    assert job.kind == "innovation_plans.report" and job.organization == plan.organization
    assert job.status == BackgroundJob.Status.DONE and job.percent == 100 and job.created_by == user
    data = client.get(f"/plans/jobs/{job.uuid}/?format=json").json()
    assert data["status"] == "done" and data["download"]
    download = client.get(data["download"])
    assert download.status_code == 200
    load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    # Somebody else's job is not found.
    client.force_login(staff(plan.organization, Role.AUDITOR))
    assert client.get(f"/plans/jobs/{job.uuid}/").status_code == 404

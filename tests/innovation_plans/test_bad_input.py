"""Bad input everywhere gives a clear Thai/English message and a 4xx, never a 500, and saves nothing."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from innovation_plans import services
from innovation_plans.models import ActivityBudget, EvidenceFile, MonitoringRecord, Plan
from portal.models import BackgroundJob, Role
from tests.innovation_plans.factories import make_plan
from tests.innovation_plans.test_admin import _form_data
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def _grid(client, plan):
    url = f"/admin/innovation_plans/plan/{plan.pk}/change/"
    data = _form_data(client.get(url).content.decode())
    for key in ("_addanother", "_continue"):
        data.pop(key, None)
    return url, data


def _amounts(plan):
    return sorted(ActivityBudget.objects.filter(activity__plan=plan).values_list("activity_id", "fiscal_year", "amount"))


# --- the budget grid --------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["สองหมื่น", "12a", "1.5", "25,000.-"])
def test_grid_non_numeric_budget_is_400_naming_the_year_and_saves_nothing(client, org, typed):
    plan = make_plan(org, components=1, activities=2)
    client.force_login(staff(org, Role.OFFICER))
    before = _amounts(plan)
    url, data = _grid(client, plan)
    data["activities-0-title"] = "ชื่อใหม่ที่ไม่ควรถูกบันทึก"  # a valid change in the same post
    data["activities-1-budget_2568"] = typed
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "งบประมาณปี 2568 ต้องเป็นจำนวนเต็ม" in body
    assert _amounts(plan) == before
    assert not plan.activities.filter(title="ชื่อใหม่ที่ไม่ควรถูกบันทึก").exists()


def test_grid_negative_budget_is_400(client, org):
    plan = make_plan(org, components=1, activities=1)
    client.force_login(staff(org, Role.OFFICER))
    url, data = _grid(client, plan)
    data["activities-0-budget_2566"] = "-5"
    assert client.post(url, data).status_code == 400
    assert ActivityBudget.objects.get(activity__plan=plan, fiscal_year=2566).amount == 10000


def test_grid_accepts_thai_digits_everywhere_a_number_is_typed(client, org):
    plan = make_plan(org, components=1, activities=1)
    client.force_login(staff(org, Role.OFFICER))
    url, data = _grid(client, plan)
    data["activities-0-budget_2566"] = "๕๐,๐๐๐"
    data["activities-0-budget_2570"] = " ๑๒๓ "
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    amounts = dict(ActivityBudget.objects.filter(activity__plan=plan).values_list("fiscal_year", "amount"))
    assert amounts[2566] == 50000 and amounts[2570] == 123


def test_activity_page_accepts_thai_digit_years_and_total(client, org):
    plan = make_plan(org, components=1, activities=1)
    activity = plan.activities.get()
    client.force_login(staff(org, Role.OFFICER))
    url = f"/admin/innovation_plans/activity/{activity.pk}/change/"
    data = _form_data(client.get(url).content.decode())
    for key in ("_addanother", "_continue"):
        data.pop(key, None)
    data.update({"start_year": "๒๕๖๗", "end_year": "๒๕๖๘"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    assert (activity.start_year, activity.end_year) == (2567, 2568)
    data["end_year"] = "๒๕๖๖"  # before the first year
    response = client.post(url, data)
    assert response.status_code == 400 and "ปีสิ้นสุดต้องไม่ก่อนปีเริ่ม" in response.content.decode()


def test_grid_component_of_another_plan_is_refused(client, org):
    plan = make_plan(org, components=1, activities=1)
    other = make_plan(org, components=1, activities=1, start=2571, end=2575)
    client.force_login(staff(org, Role.OFFICER))
    url, data = _grid(client, plan)
    data["activities-0-component"] = str(other.components.get().pk)
    response = client.post(url, data)
    assert response.status_code == 400
    assert plan.activities.get().component.plan_id == plan.pk


def test_plan_change_page_queries_do_not_grow_with_grid_rows(client, org, other_org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = make_plan(org, components=1, activities=1)
    large = make_plan(org, components=6, activities=8, start=2571, end=2575)
    client.force_login(staff(org, Role.OFFICER))
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/admin/innovation_plans/plan/{plan.pk}/change/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[1] == counts[0], counts


def test_new_plan_page_explains_the_grid_comes_after_saving_and_save_goes_on_to_it(client, org):
    client.force_login(staff(org, Role.OFFICER))
    body = client.get("/admin/innovation_plans/plan/add/").content.decode()
    assert "บันทึกแผนก่อนหนึ่งครั้ง" in body
    response = client.post("/admin/innovation_plans/plan/add/", {
        "organization": org.pk, "title": "แผนใหม่", "fiscal_year_start": "๒๕๖๘", "fiscal_year_end": "2572",
        "components-TOTAL_FORMS": 0, "components-INITIAL_FORMS": 0, "_save": "1"})
    plan = Plan.objects.get(title="แผนใหม่")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/innovation_plans/plan/{plan.pk}/change/"
    body = client.get(response["Location"]).content.decode()
    assert 'name="activities-TOTAL_FORMS"' in body and "budget_2572" in body


def test_new_plan_with_years_reversed_is_400(client, org):
    client.force_login(staff(org, Role.OFFICER))
    response = client.post("/admin/innovation_plans/plan/add/", {
        "organization": org.pk, "title": "แผนผิด", "fiscal_year_start": "2570", "fiscal_year_end": "2566",
        "components-TOTAL_FORMS": 0, "components-INITIAL_FORMS": 0})
    assert response.status_code == 400 and "ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น" in response.content.decode()
    assert not Plan.objects.exists()


# --- the import button and evidence uploads ----------------------------------------------------------------


def test_import_button_only_for_those_who_may_import(client, org):
    make_plan(org)
    client.force_login(staff(org, Role.AUDITOR))
    assert 'id="plan-import-link"' not in client.get("/admin/innovation_plans/plan/").content.decode()
    client.force_login(staff(org, Role.OFFICER))
    assert 'id="plan-import-link"' in client.get("/admin/innovation_plans/plan/").content.decode()


def _record_post(plan, **evidence):
    activity = plan.activities.first()
    return {
        "activity": activity.pk, "fiscal_year": "2567", "status": "in_progress", "progress_percent": "50",
        "actual_spend": "", "notes": "", "indicator_actuals-TOTAL_FORMS": 0, "indicator_actuals-INITIAL_FORMS": 0,
        "evidence-TOTAL_FORMS": 1, "evidence-INITIAL_FORMS": 0, "evidence-0-title": "หลักฐาน", **evidence}


def _png():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("upload,message", [
    (("report.pdf", b"MZ\x90\x00" + b"\x00" * 200), "ชนิดไฟล์ไม่รองรับ"),  # a Windows program named .pdf
    (("page.html", b"<html><body>hi</body></html>"), "ชนิดไฟล์ไม่รองรับ"),
    (("photo.png", _png()[:30]), "ไฟล์รูปภาพเสียหาย"),  # a truncated image
    (("empty.pdf", b""), "ว่าง"),
])
def test_evidence_wrong_type_is_400_and_saves_nothing(client, org, upload, message):
    plan = make_plan(org, components=1, activities=1)
    client.force_login(staff(org, Role.OFFICER))
    name, content = upload
    response = client.post("/admin/innovation_plans/monitoringrecord/add/",
                           _record_post(plan, **{"evidence-0-file": SimpleUploadedFile(name, content)}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MonitoringRecord.objects.exists() and not EvidenceFile.objects.exists()


def test_evidence_oversize_is_400_and_names_the_limit(client, org, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    plan = make_plan(org, components=1, activities=1)
    client.force_login(staff(org, Role.OFFICER))
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    response = client.post("/admin/innovation_plans/monitoringrecord/add/", _record_post(plan, **{"evidence-0-file": big}))
    body = response.content.decode()
    assert response.status_code == 400 and "ไฟล์ใหญ่เกิน 1 MB" in body  # Thai only; English from the catalogue
    assert not MonitoringRecord.objects.exists()


def test_evidence_png_is_accepted(client, org):
    plan = make_plan(org, components=1, activities=1)
    client.force_login(staff(org, Role.OFFICER))
    response = client.post("/admin/innovation_plans/monitoringrecord/add/",
                           _record_post(plan, **{"evidence-0-file": SimpleUploadedFile("p.jpg", _png())}))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert EvidenceFile.objects.get().content_type == "image/png"  # by content, not by the .jpg name


@pytest.mark.parametrize("field,value,message", [
    ("fiscal_year", "2575", "ปีนี้อยู่นอกช่วงของแผน"),
    ("fiscal_year", "ปีหน้า", "กรอกหมายเลข"),
    ("progress_percent", "150", "ค่านี้ต้องน้อยกว่าหรือเท่ากับ 100"),
    ("actual_spend", "ห้าพัน", "กรอกหมายเลข"),
])
def test_monitoring_bad_numbers_are_400(client, org, field, value, message):
    """Each bad number is refused with its message beside the field it came from."""
    plan = make_plan(org, components=1, activities=1)
    client.force_login(staff(org, Role.OFFICER))
    response = client.post("/admin/innovation_plans/monitoringrecord/add/",
                           {**_record_post(plan), "evidence-TOTAL_FORMS": 0, field: value})
    assert response.status_code == 400
    errors = re.findall(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    assert errors and message in errors[0], errors
    assert not MonitoringRecord.objects.exists()


# --- reports ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["report/", "report.pdf", "report.xlsx", "report.csv"])
@pytest.mark.parametrize("year,message", [
    ("2575", "อยู่นอกช่วงของแผน (พ.ศ. 2566–2570)"),
    ("๒๕๗๕", "อยู่นอกช่วงของแผน"),
    ("2020", "ต้องเป็นปี พ.ศ."),
    ("abc", "ต้องเป็นตัวเลข"),
    ("๒๕๖๗x", "ต้องเป็นตัวเลข"),
])
def test_report_year_outside_plan_or_not_a_year_is_400(client, org, suffix, year, message):
    plan = make_plan(org)
    client.force_login(staff(org, Role.AUDITOR))
    response = client.get(f"/{org.slug}/plans/{plan.pk}/{suffix}", {"year": year})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and " / " not in body.split("<main", 1)[1]  # Thai alone; English from the catalogue


def test_report_thai_digit_year_is_read(client, org):
    plan = make_plan(org)
    client.force_login(staff(org, Role.AUDITOR))
    response = client.get(f"/{org.slug}/plans/{plan.pk}/report.csv", {"year": "๒๕๖๗"})
    assert response.status_code == 200 and "ปีงบประมาณ 2567" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("year", ["2575", "abc", "๒๕๗๕"])
def test_background_report_year_outside_plan_is_400_and_queues_nothing(client, org, year):
    plan = make_plan(org)
    client.force_login(staff(org, Role.AUDITOR))
    response = client.post(f"/{org.slug}/plans/{plan.pk}/report/background/", {"fmt": "pdf", "year": year})
    assert response.status_code == 400
    assert not BackgroundJob.objects.exists()


def test_background_report_unknown_format_is_400(client, org):
    plan = make_plan(org)
    client.force_login(staff(org, Role.AUDITOR))
    response = client.post(f"/{org.slug}/plans/{plan.pk}/report/background/", {"fmt": "docx"})
    assert response.status_code == 400 and "รูปแบบไม่รองรับ" in response.content.decode()


def test_unknown_format_is_404(client, org):
    plan = make_plan(org)
    client.force_login(staff(org, Role.AUDITOR))
    assert client.get(f"/{org.slug}/plans/{plan.pk}/report.docx").status_code == 404
    assert client.get("/plans/audit/summary.docx").status_code == 404


@pytest.mark.parametrize("year", ["abc", "1", "๑๒"])
def test_summary_bad_year_is_400(client, org, year):
    make_plan(org)
    client.force_login(staff(org, Role.AUDITOR))
    assert client.get("/plans/audit/", {"year": year}).status_code == 400
    assert client.get("/plans/audit/summary.xlsx", {"year": year}).status_code == 400


def test_unknown_plan_id_is_404_everywhere(client, org):
    make_plan(org)
    missing = Plan.objects.order_by("-pk").first().pk + 1000
    client.force_login(staff(org, Role.ADMINISTRATOR))
    for url in (f"/{org.slug}/plans/{missing}/", f"/{org.slug}/plans/{missing}/report/",
                f"/{org.slug}/plans/{missing}/report.pdf", f"/admin/innovation_plans/plan/{missing}/change/",
                f"/admin/innovation_plans/plan/{missing}/auditlog/", f"/api/innovation-plans/plans/{missing}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/{org.slug}/plans/{missing}/report/background/", {"fmt": "pdf"}).status_code == 404
    assert client.get(f"/{org.slug}/plans/not-a-number/").status_code == 404


def test_other_organizations_plan_id_is_refused(client, org, other_org):
    theirs = make_plan(other_org, status=Plan.Status.DRAFT)
    client.force_login(staff(org, Role.AUDITOR))
    # Under my organization's address their plan does not exist.
    for url in (f"/{org.slug}/plans/{theirs.pk}/", f"/{org.slug}/plans/{theirs.pk}/report/",
                f"/{org.slug}/plans/{theirs.pk}/report.xlsx", f"/admin/innovation_plans/plan/{theirs.pk}/change/",
                f"/api/innovation-plans/plans/{theirs.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/{org.slug}/plans/{theirs.pk}/report/background/", {"fmt": "pdf"}).status_code == 404
    # Under their address I have no role there.
    for url in (f"/{other_org.slug}/plans/{theirs.pk}/report/", f"/{other_org.slug}/plans/{theirs.pk}/report.pdf"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/{other_org.slug}/plans/{theirs.pk}/report/background/", {"fmt": "pdf"}).status_code == 403
    assert not BackgroundJob.objects.exists()


# --- background jobs: retry -------------------------------------------------------------------------------


def test_failed_job_shows_a_plain_message_and_can_be_retried(client, org, monkeypatch, settings,
                                                             django_capture_on_commit_callbacks):
    from innovation_plans import reports

    settings.JOB_MAX_ATTEMPTS = 1  # no automatic retry: the person sees the failure at once
    plan = make_plan(org)
    user = staff(org, Role.AUDITOR)
    client.force_login(user)
    real = reports.build_plan_report

    def broken(*args, **kwargs):
        raise OSError("/secret/path: disk full")

    monkeypatch.setattr(reports, "build_plan_report", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{org.slug}/plans/{plan.pk}/report/background/", {"fmt": "xlsx", "year": "2567"})
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "ลองใหม่" in page and 'id="job-retry"' in page and "/secret/path" not in page
    assert client.get(f"/plans/jobs/{job.uuid}/download/").status_code == 404

    # Somebody else cannot retry it.
    client.force_login(staff(org, Role.AUDITOR))
    assert client.post(f"/plans/jobs/{job.uuid}/retry/").status_code == 404
    client.force_login(user)
    assert client.get(f"/plans/jobs/{job.uuid}/retry/").status_code == 405

    monkeypatch.setattr(reports, "build_plan_report", real)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/plans/jobs/{job.uuid}/retry/")
    assert response.status_code == 302 and response["Location"] == f"/plans/jobs/{job.uuid}/"
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert job.params == {"report": "plan", "fmt": "xlsx", "plan": plan.pk, "year": 2567, "language": "th"}
    assert client.get(f"/plans/jobs/{job.uuid}/download/").status_code == 200
    # A finished job is not retried.
    assert client.post(f"/plans/jobs/{job.uuid}/retry/").status_code == 400


def test_job_for_a_plan_no_longer_reachable_fails_clearly(client, org, django_capture_on_commit_callbacks):
    from innovation_plans import services

    plan = make_plan(org)
    user = staff(org, Role.AUDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(actor=user, fmt="pdf", plan=plan)
        # The auditor loses the role before the worker gets to it: no report, and a message saying why.
        user.memberships.all().delete()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and job.attempts == 1  # not retried: retrying cannot help
    assert job.message == "ไม่พบแผน หรือท่านไม่มีสิทธิ์ในแผนนี้แล้ว" and not job.result


def test_job_stuck_in_queue_offers_retry(client, org, monkeypatch, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from innovation_plans import services
    from portal.machinery import jobs

    plan = make_plan(org)
    user = staff(org, Role.AUDITOR)
    monkeypatch.setattr(jobs.run_job, "apply_async", lambda *a, **k: None)  # sent, never delivered
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(actor=user, fmt="csv", plan=plan)
    client.force_login(user)
    assert 'id="job-retry"' not in client.get(f"/plans/jobs/{job.uuid}/").content.decode()
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    assert 'id="job-retry"' in client.get(f"/plans/jobs/{job.uuid}/").content.decode()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/plans/jobs/{job.uuid}/retry/").status_code == 302
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.filename.endswith(".csv")


# --- the API ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/api/innovation-plans/plans/?fiscal_year=abc",
    "/api/innovation-plans/plans/?status=bogus",
    "/api/innovation-plans/activities/?fiscal_year=ปีนี้",
    "/api/innovation-plans/activities/?status=bogus",
    "/api/innovation-plans/activities/?plan=x",
])
def test_api_bad_filters_are_400_with_a_message(client, org, url):
    make_plan(org)
    response = client.get(url)
    assert response.status_code == 400
    (field, messages), = response.json().items()  # names the field, in Thai by default
    assert field in url and re.search("[\u0e00-\u0e7f]", messages[0]) and " / " not in messages[0], messages
    client.cookies["django_language"] = "en"
    (field, messages), = client.get(url).json().items()  # English alone when chosen
    assert field in url and not re.search("[\u0e00-\u0e7f]", messages[0].replace(url.split("=")[1], "")), messages


def test_api_thai_digit_year_filter(client, org):
    make_plan(org, start=2566, end=2570)
    make_plan(org, start=2571, end=2575)
    data = client.get("/api/innovation-plans/plans/", {"fiscal_year": "๒๕๗๒"}).json()
    assert [p["fiscal_year_start"] for p in data["results"]] == [2571]


def test_monitoring_service_refuses_year_outside_plan(org):
    from django.core.exceptions import ValidationError

    plan = make_plan(org, components=1, activities=1)
    with pytest.raises(ValidationError, match="อยู่นอกช่วงของแผน"):
        services.record_monitoring(activity=plan.activities.get(), fiscal_year=2590, status="in_progress")


def test_no_number_inputs_that_refuse_thai_digits(client, org):
    """<input type=number> cannot take ๐–๙ or commas in a browser; every number box is a text box with inputmode."""
    plan = make_plan(org, components=1, activities=1)
    record = services.record_monitoring(activity=plan.activities.get(), fiscal_year=2567, status="in_progress")
    client.force_login(staff(org, Role.OFFICER))
    for url in ("/admin/innovation_plans/plan/add/", f"/admin/innovation_plans/plan/{plan.pk}/change/",
                f"/admin/innovation_plans/activity/{plan.activities.get().pk}/change/",
                "/admin/innovation_plans/monitoringrecord/add/",
                f"/admin/innovation_plans/monitoringrecord/{record.pk}/change/",
                f"/admin/innovation_plans/indicator/{plan.indicators.first().pk}/change/"):
        body = client.get(url).content.decode()
        assert 'type="number"' not in body, url
        assert 'inputmode="numeric"' in body, url


def test_monitoring_with_thai_digits_in_every_number(client, org):
    plan = make_plan(org, components=1, activities=1)
    client.force_login(staff(org, Role.OFFICER))
    response = client.post("/admin/innovation_plans/monitoringrecord/add/", {
        **_record_post(plan), "evidence-TOTAL_FORMS": 0, "fiscal_year": "๒๕๖๘", "progress_percent": "๔๕",
        "actual_spend": "๑,๒๐๐"})
    assert response.status_code == 302, response.content.decode()[:2000]
    record = MonitoringRecord.objects.get()
    assert (record.fiscal_year, record.progress_percent, record.actual_spend) == (2568, 45, 1200)


def test_grid_total_follows_edited_years_when_it_was_their_sum(client, org):
    plan = make_plan(org, components=1, activities=1)  # 10,000 a year, total 50,000 as imported
    activity = plan.activities.get()
    assert activity.budget_total == 50000
    client.force_login(staff(org, Role.OFFICER))
    url, data = _grid(client, plan)
    data["activities-0-budget_2566"] = "20000"
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.budget_total == 60000


def test_grid_one_figure_budget_plus_yearly_amounts_must_agree(client, org):
    plan = make_plan(org, components=1, activities=1, flat=True)  # one total of 10,000, no yearly cells
    client.force_login(staff(org, Role.OFFICER))
    url, data = _grid(client, plan)
    data["activities-0-budget_2568"] = "15000"
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400 and "ไม่เท่ากับผลรวมรายปี 15,000" in body
    assert not ActivityBudget.objects.filter(activity__plan=plan).exists()
    data["activities-0-budget_total"] = ""  # the officer chooses the yearly figures
    assert client.post(url, data).status_code == 302
    activity = plan.activities.get()
    assert activity.budget_total is None and activity.budgets.get().amount == 15000

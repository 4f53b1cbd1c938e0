"""The innovation plans as people use them: citizens on a phone, an officer in the admin (budget grid, M&E with
evidence, document import with review, history), an auditor (no import button, background report with retry)."""

import io

import pytest

from tests.e2e.test_innovation_plans_reports import _load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username, password, next_url="/admin/"):
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_url}")


def _no_sideways_scroll(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"page is {width}px wide on a {inner}px screen"
    assert inner == 390, inner  # the phone did not zoom out to fit something too wide


@pytest.mark.parametrize("slug", ["khamyai", "nangrong", "phannanakhon"])
def test_public_plan_pages_fit_a_phone(live_server, phone_page, shot, slug):
    _load()
    page = phone_page
    page.goto(f"{live_server.url}/{slug}/plans/")
    _no_sideways_scroll(page)
    page.locator("ul.org-list a").first.click()
    page.wait_for_url(f"**/{slug}/plans/*/")
    _no_sideways_scroll(page)
    assert page.locator("h1").inner_text().startswith("แผน")
    # Wide tables scroll inside their own box instead of the page.
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    if slug == "phannanakhon":
        assert "10,575,000" in page.content()
    shot(page, f"innovation-plans-10-public-{slug}-phone")


def test_officer_grid_monitoring_import_and_history(live_server, desktop_page, shot, tmp_path):
    from PIL import Image

    from innovation_plans.models import ActivityBudget, EvidenceFile, MonitoringRecord, Plan

    password = _load()
    page = desktop_page
    _login(page, live_server, "khamyai-officer", password, "/admin/innovation_plans/plan/")
    assert page.locator("#plan-import-link").count() == 1
    plan = Plan.objects.get(organization__slug="khamyai")

    # Budget grid: type Thai digits into a yearly cell, save, and see the figure back.
    page.goto(f"{live_server.url}/admin/innovation_plans/plan/{plan.pk}/change/")
    page.fill("input[name='activities-0-budget_2568']", "๑๕,๐๐๐")
    page.fill("input[name='activities-0-budget_total']", "")  # the yearly figure replaces the one total
    shot(page, "innovation-plans-11-admin-budget-grid")
    page.click("input[name='_continue']")
    page.wait_for_selector(".messagelist .success")
    assert page.locator("input[name='activities-0-budget_2568']").input_value() == "15000"
    first = plan.activities.order_by("component__order", "order", "id").first()
    assert ActivityBudget.objects.get(activity=first, fiscal_year=2568).amount == 15000

    # A non-number in the grid: a 400 page that says what is wrong and where, nothing saved.
    page.fill("input[name='activities-0-budget_2569']", "สองหมื่น")
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.click("input[name='_continue']")
    assert info.value.status == 400
    page.wait_for_selector("ul.errorlist")
    errors = page.locator("ul.errorlist").all_inner_texts()
    assert any("งบประมาณปี 2569 ต้องเป็นจำนวนเต็ม" in e for e in errors), errors
    assert not ActivityBudget.objects.filter(activity=first, fiscal_year=2569).exists()
    shot(page, "innovation-plans-12-admin-grid-error")

    # Yearly M&E with an evidence photo (checked by content).
    photo = tmp_path / "evidence.jpg"
    Image.new("RGB", (40, 30), "green").save(photo, "JPEG")
    page.goto(f"{live_server.url}/admin/innovation_plans/monitoringrecord/add/")
    page.select_option("#id_activity", str(first.pk))
    page.fill("#id_fiscal_year", "๒๕๖๘")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_progress_percent", "40")
    page.fill("#id_actual_spend", "๕,๐๐๐")
    page.check("input[name='methods'][value='observation']")
    page.set_input_files("input[name='evidence-0-file']", str(photo))
    page.fill("input[name='evidence-0-title']", "ภาพกิจกรรม")
    shot(page, "innovation-plans-13-admin-monitoring")
    page.click("input[name='_save']")
    page.wait_for_selector(".messagelist .success")
    record = MonitoringRecord.objects.get(activity=first, fiscal_year=2568)
    assert record.actual_spend == 5000 and record.methods == ["observation"]
    assert EvidenceFile.objects.get(record=record).content_type == "image/jpeg"

    # Import: upload, review (nothing saved yet), confirm replacing the demo plan.
    from innovation_plans.demo import SEEDS

    page.goto(f"{live_server.url}/admin/innovation_plans/plan/import/")
    page.set_input_files("#id_document", str(SEEDS / "khamyai_plan.txt"))
    page.click("#plan-import-form input[type=submit]")
    page.wait_for_selector("#import-review")
    assert page.get_by_text("30,000").first.is_visible()  # the document's own (wrong) total is shown
    assert Plan.objects.filter(organization__slug="khamyai").count() == 1
    shot(page, "innovation-plans-14-import-review")
    page.check("input[name='replace']")
    page.check("input[name='publish']")
    page.click("input[name='confirm']")
    page.wait_for_selector(".messagelist .success")
    new = Plan.objects.get(organization__slug="khamyai")
    assert new.status == Plan.Status.PUBLISHED and new.activities.count() == 2

    # Change history of the plan.
    page.goto(f"{live_server.url}/admin/innovation_plans/plan/{new.pk}/auditlog/")
    assert page.locator("table").count() > 0
    shot(page, "innovation-plans-15-history")


def test_auditor_has_no_import_button_and_retries_a_failed_report(live_server, desktop_page, shot):
    from innovation_plans.models import Plan
    from portal.models import BackgroundJob

    password = _load()
    page = desktop_page
    _login(page, live_server, "khamyai-auditor", password, "/admin/innovation_plans/plan/")
    assert page.locator("#plan-import-link").count() == 0
    shot(page, "innovation-plans-16-auditor-plan-list")

    plan = Plan.objects.get(organization__slug="khamyai")
    # A job that failed earlier (e.g. a worker crash): the page says so and offers to try again.
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="khamyai-auditor")
    job = BackgroundJob.objects.create(
        created_by=user, kind="innovation_plans.report", organization=plan.organization,
        params={"report": "plan", "fmt": "xlsx", "plan": plan.pk, "year": 2567}, status=BackgroundJob.Status.FAILED,
        attempts=3, message="ทำงานไม่สำเร็จ ลองใหม่ได้ (OSError)")
    page.goto(f"{live_server.url}/plans/jobs/{job.uuid}/")
    shot(page, "innovation-plans-17-job-failed")
    page.click("#job-retry")
    page.wait_for_selector("#job-download")  # Celery runs eagerly in tests; the page refreshes itself otherwise
    with page.expect_download() as info:
        page.click("#job-download")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    assert "งบประมาณ" in wb.sheetnames
    shot(page, "innovation-plans-18-job-done")

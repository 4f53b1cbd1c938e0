"""Everyone lands where their work is (1366×768, as a clerk's laptop): an auditor signs in and downloads a report in
two clicks; the plan admin page has a report button; officers see their due requests on the admin home."""

import pytest

from tests.e2e.a11y import assert_axe_clean
from tests.e2e.conftest import _offline

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laptop_page(browser):
    context = _offline(browser.new_context(viewport={"width": 1366, "height": 768}, locale="th-TH",
                                           accept_downloads=True))
    page = context.new_page()
    yield page
    context.close()


def _demo():
    from innovation_plans.demo import load_demo
    from portal.demo import DEMO_PASSWORD, load_core

    organizations, _ = load_core()
    for organization in organizations.values():
        load_demo(organization)
    return DEMO_PASSWORD


def test_auditor_signs_in_and_downloads_a_report_in_two_clicks(live_server, laptop_page, shot, tmp_path):
    from openpyxl import load_workbook

    from innovation_plans.models import Plan

    password = _demo()
    page = laptop_page
    clicks = 0
    page.goto(f"{live_server.url}/admin/")  # the address every staff member is given
    page.fill("#id_username", "khamyai-auditor")
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    clicks += 1
    page.wait_for_url(f"{live_server.url}/admin/")
    panel = page.locator("section.staff-home", has_text="รายงานสำหรับผู้ตรวจสอบ")
    assert panel.is_visible()
    plan = Plan.objects.get(organization__slug="khamyai")
    assert panel.get_by_text(plan.title).is_visible()
    assert panel.locator("#audit-summary").get_attribute("href").startswith("/plans/audit/")
    assert_axe_clean(page)
    shot(page, "staff-home-01-auditor-home")
    with page.expect_download() as info:
        page.click(f"#report-xlsx-{plan.pk}")
    clicks += 1
    path = tmp_path / "report.xlsx"
    info.value.save_as(path)
    assert "งบประมาณ" in load_workbook(path).sheetnames
    assert clicks == 2


def test_plan_admin_page_has_a_report_button(live_server, laptop_page, shot):
    from innovation_plans.models import Plan

    password = _demo()
    page = laptop_page
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "khamyai-officer")
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    plan = Plan.objects.get(organization__slug="khamyai")
    page.goto(f"{live_server.url}/admin/innovation_plans/plan/{plan.pk}/change/")
    page.click("#plan-report-link")
    page.wait_for_url(f"**/khamyai/plans/{plan.pk}/report/")
    assert page.locator("#dl-pdf").is_visible()
    shot(page, "staff-home-02-plan-report-from-admin")


def test_staff_pages_pass_axe_officer_home_complaint_photo_dataset_add_queue(live_server, laptop_page, shot):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from complaints.models import Complaint
    from eservice.demo import load_demo as load_eservice
    from portal.models import Organization
    from tests.complaints.factories import jpeg_bytes, make_complaint

    password = _demo()
    org = Organization.objects.get(slug="khamyai")
    load_eservice(org)
    complaint = make_complaint(org, photos=[SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")])
    Complaint.objects.filter(pk=complaint.pk).update(sla_deadline=timezone.now() - timezone.timedelta(days=1))
    page = laptop_page
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "khamyai-admin")
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("section.staff-home", has_text="เรื่องร้องเรียนที่ใกล้ครบกำหนด").is_visible()
    assert_axe_clean(page)
    shot(page, "staff-home-03-administrator-home")
    page.goto(f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/change/")
    assert page.locator(".field-preview img[alt]").count() == 1
    assert_axe_clean(page)
    page.goto(f"{live_server.url}/admin/opendata/dataset/add/")
    page.wait_for_selector(".selector-filter input[aria-label]")
    page.wait_for_selector(".select2-search__field[aria-label]", state="attached")
    assert_axe_clean(page)
    page.goto(f"{live_server.url}/khamyai/queue/staff/")
    assert_axe_clean(page)
    shot(page, "staff-home-04-queue-staff")

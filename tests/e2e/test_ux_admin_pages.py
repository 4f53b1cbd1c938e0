"""Staff and auditors on a 1366 px screen: the plan change page with its budget grid fits, every grid input is
labelled, no raw JSON; complaint list shows SLA, officer and date; axe-clean admin pages the citizens' data passes
through (complaint list and change, plan change, M&E, audit log)."""

import pytest

from tests.e2e.a11y import assert_axe_clean, assert_thai_not_clipped
from tests.e2e.test_innovation_plans_reports import _load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def _fits(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"page is {width}px wide on a {inner}px screen"


def test_plan_change_budget_grid_fits_and_is_labelled(live_server, desktop_page, shot):
    from innovation_plans.models import Plan

    password = _load()
    page = desktop_page
    _login(page, live_server, "phannanakhon-officer", password)
    plan = Plan.objects.get(organization__slug="phannanakhon")
    page.goto(f"{live_server.url}/admin/innovation_plans/plan/{plan.pk}/change/")
    shot(page, "ux-admin-plan-change-1366")
    _fits(page)
    controls = ("#activities-group input:not([type=hidden]), #activities-group select, "
                "#components-group textarea, #components-group input:not([type=hidden])")
    unlabelled = page.evaluate("""(sel) => [...document.querySelectorAll(sel)]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                      && !el.getAttribute('aria-labelledby')).map(el => el.name)""", controls)
    assert unlabelled == [], unlabelled
    label = page.get_attribute("input[name='activities-0-budget_2567']", "aria-label")
    assert "2567" in label and len(label) > 10
    stated = page.input_value("#components-group [name$='-0-stated_total_by_year']")
    assert "{" not in stated and ":" in stated, stated  # "2566: 25,000; ..." not raw JSON
    assert_axe_clean(page)
    assert_thai_not_clipped(page)


def test_complaint_list_and_change_m_and_e_and_audit_log(live_server, desktop_page, shot):
    from complaints import services
    from complaints.demo import ensure_categories
    from innovation_plans.models import MonitoringRecord
    from portal.models import Organization
    from tests.complaints.factories import make_complaint

    password = _load()
    org = Organization.objects.get(slug="khamyai")
    cats = ensure_categories(org)
    complaint = make_complaint(org, category=cats["road"], address="หน้าวัดป่าสว่างอารมณ์ ถนนเทศบาล ๓",
                               village="หมู่ ๒ บ้านโนนสะอาดพัฒนา")
    services.change_status(complaint=complaint, to_status="accepted")
    page = desktop_page
    _login(page, live_server, "khamyai-admin", password)

    page.goto(f"{live_server.url}/admin/complaints/complaint/")
    shot(page, "ux-admin-complaint-list-1366")
    _fits(page)
    # Visible without scrolling: inside the window and inside the list's own scroll box.
    right = min(page.evaluate("window.innerWidth"),
                page.evaluate("() => document.querySelector('#result_list').parentElement.getBoundingClientRect().right"))
    for column in ("column-created_be", "column-sla_badge", "column-assignee_name"):
        box = page.locator(f"#result_list th.{column}").bounding_box()
        assert box and box["x"] + box["width"] <= right + 1, (column, box, right)
    assert_axe_clean(page)
    assert_thai_not_clipped(page)

    page.goto(f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/change/")
    _fits(page)
    assert_axe_clean(page)
    assert_thai_not_clipped(page)
    shot(page, "ux-admin-complaint-change-1366")

    record = MonitoringRecord.objects.filter(activity__plan__organization=org).first()
    page.goto(f"{live_server.url}/admin/innovation_plans/monitoringrecord/")
    _fits(page)
    assert_axe_clean(page)
    page.goto(f"{live_server.url}/admin/innovation_plans/monitoringrecord/{record.pk}/change/")
    _fits(page)
    assert_axe_clean(page)
    shot(page, "ux-admin-monitoring-1366")

    page.goto(f"{live_server.url}/admin/auditlog/logentry/")
    _fits(page)
    assert_axe_clean(page)
    shot(page, "ux-admin-auditlog-1366")

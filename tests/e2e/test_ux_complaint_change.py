"""The complaint change page on a 1366 px screen is one form (issue: staff lost a department change when they
pressed the action button, and a refused action dropped the typed message)."""

import pytest

from tests.e2e.a11y import assert_axe_clean, assert_thai_not_clipped
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(org):
    from complaints.demo import ensure_categories
    from portal.models import Department, Role
    from tests.complaints.factories import make_complaint
    from tests.portal.factories import staff

    cats = ensure_categories(org)
    works = Department.objects.get(pk=cats["road"].department_id) if cats["road"].department_id else None
    parks = Department.objects.create(organization=org, code="parks", name_th="กองสวนสาธารณะและสิ่งแวดล้อม")
    officer = staff(org, Role.OFFICER, department=works, username="desk-officer")
    complaint = make_complaint(org, cats["road"], address="หน้าวัดป่าสว่างอารมณ์ ถนนเทศบาล ๓",
                               village="หมู่ ๒ บ้านโนนสะอาดพัฒนา")
    return complaint, parks, officer


def _fits(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"page is {width}px wide on a {inner}px screen"


def test_department_change_and_action_in_one_go(live_server, desktop_page, shot, desk):
    complaint, parks, officer = desk
    page = desktop_page
    login(page, live_server, officer.username)
    url = f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/change/"
    page.goto(url)
    _fits(page)
    assert_axe_clean(page)
    assert_thai_not_clipped(page)
    shot(page, "ux-admin-complaint-change-one-form-1366")

    page.select_option("#id_department", str(parks.pk))
    page.select_option("#id_act-action", "status")
    page.select_option("#id_act-to_status", "accepted")
    page.fill("#id_act-note", "รับเรื่องแล้ว ส่งกองสวนสาธารณะออกตรวจพรุ่งนี้")
    page.click("#apply-action")
    page.wait_for_load_state()
    assert page.url == url
    assert page.locator(".messagelist .success").count() == 1
    complaint.refresh_from_db()
    assert complaint.department_id == parks.pk and complaint.status == "accepted"
    assert list(complaint.updates.order_by("pk").values_list("kind", flat=True)) == ["assign", "status"]


def test_refused_action_keeps_the_typed_message(live_server, desktop_page, shot, desk):
    from complaints import services

    complaint, parks, officer = desk
    page = desktop_page
    login(page, live_server, officer.username)
    url = f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/change/"
    page.goto(url)
    # While the page is open a colleague closes the complaint: "in progress" is no longer allowed.
    services.change_status(complaint=complaint, to_status="closed", actor=officer, note="ซ้ำกับเรื่องที่แจ้งก่อนหน้า")
    message = "ออกตรวจแล้ว พบหลุมลึกประมาณ ๑๕ ซม. จะซ่อมภายในสัปดาห์นี้"
    page.select_option("#id_department", str(parks.pk))
    page.select_option("#id_act-action", "status")
    page.select_option("#id_act-to_status", "in_progress")
    page.fill("#id_act-note", message)
    page.click("#apply-action")
    page.wait_for_load_state()
    alert = page.locator("#workflow-actions-error")
    assert alert.is_visible() and "ยังไม่ได้บันทึก" in alert.inner_text()
    assert page.locator("#workflow-actions .errorlist").count() >= 1
    assert page.input_value("#id_act-note") == message
    assert page.input_value("#id_department") == str(parks.pk)
    _fits(page)
    assert_axe_clean(page)
    assert_thai_not_clipped(page)
    shot(page, "ux-admin-complaint-change-refused-1366")
    complaint.refresh_from_db()
    assert complaint.department_id != parks.pk and complaint.status == "closed"

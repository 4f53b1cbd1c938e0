"""Thai marks (ุ ู ิ ี ่ ้ ๊ ๋ ั ็) render whole in every form control, on a phone and on a desktop; axe-clean forms."""

import pytest

from tests.e2e.a11y import assert_axe_clean, assert_thai_not_clipped, thai_clipping

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAMPLE = "ถนน/ทางเท้าชำรุด ผู้ดูแล ตั้งแต่ ปู่ย่า น้ำท่วมขัง กู้ภัย ก๊าซรั่ว จ๋า เก็บขยะ"


def _org_with_categories():
    from complaints.demo import ensure_categories
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="thai-marks", name_th="เทศบาลตำบลทุ่งสุขฤดี")
    ensure_categories(org)
    return org


def _controls_page(page, live_server):
    """A page holding each kind of control the portal styles, filled with Thai that has marks."""
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """(text) => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend', `
            <form class="complaint-form" id="probe">
              <label for="p-in">ข้อความ</label><input id="p-in" value="${text}">
              <label for="p-sel">ประเภท</label><select id="p-sel"><option>${text}</option></select>
              <label for="p-ta">รายละเอียด</label><textarea id="p-ta">${text}</textarea>
              <button type="button" class="btn">${text}</button>
              <button type="button" class="btn secondary">${text}</button>
              <table><tr><th>${text}</th><td>${text}</td></tr></table>
            </form>`);
        }""",
        SAMPLE,
    )


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_control_kind_fits_thai_marks(live_server, phone_page, desktop_page, shot, viewport):
    page = phone_page if viewport == "phone" else desktop_page
    _controls_page(page, live_server)
    checked = assert_thai_not_clipped(page, min_checked=7)
    assert checked >= 7
    shot(page, f"ux-thai-controls-{viewport}")


def test_clipping_check_catches_a_short_select(live_server, desktop_page):
    """The check itself can fail: a select squeezed to a fixed height is reported."""
    page = desktop_page
    _controls_page(page, live_server)
    page.add_style_tag(content="#p-sel { height: 1.2rem !important; min-height: 0 !important; padding: 0 !important; line-height: 1 !important; }")
    clipped = thai_clipping(page)["clipped"]
    assert any(c["tag"] == "select" for c in clipped), clipped


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_complaint_form_category_select_not_clipped(live_server, phone_page, desktop_page, shot, viewport):
    org = _org_with_categories()
    page = phone_page if viewport == "phone" else desktop_page
    page.goto(f"{live_server.url}/{org.slug}/complaints/new/")
    label = page.evaluate("""() => { const s = document.querySelector('#id_category');
        const o = [...s.options].find(o => /[\u0e38\u0e39]/.test(o.text)); s.value = o.value; return o.text; }""")
    assert label
    assert_thai_not_clipped(page)
    shot(page, f"ux-complaint-form-{viewport}")
    assert_axe_clean(page)


def test_admin_complaint_change_selects_not_clipped(live_server, desktop_page, shot):
    from complaints.models import Complaint
    from portal.models import Department, Role
    from tests.complaints.factories import make_complaint
    from tests.e2e.conftest import login
    from tests.portal.factories import staff

    org = _org_with_categories()
    health = Department.objects.create(organization=org, code="health", name_th="กองสาธารณสุขและสิ่งแวดล้อม")
    staff(org, Role.ADMINISTRATOR, username="thai-admin")
    complaint = make_complaint(org)
    Complaint.objects.filter(pk=complaint.pk).update(department=health)
    assert Complaint.objects.filter(pk=complaint.pk).exists()
    page = desktop_page
    login(page, live_server, "thai-admin")
    page.goto(f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/change/")
    assert "สาธารณสุข" in page.evaluate("() => document.querySelector('#id_department').selectedOptions[0].text")
    assert_thai_not_clipped(page)
    shot(page, "ux-admin-complaint-change-thai")

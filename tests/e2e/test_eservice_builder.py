"""A clerk (the organization's administrator) builds a new e-service from a shipped template at 1366×768: from the
set-up checklist on the admin home to the template, one choice added to a field and a field moved with the
keyboard, the phone preview checked in Thai and English, the list of changes read, published, and the citizen's
page opened. Clicks are counted; every staff page visited passes axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import assert_axe_clean
from tests.e2e.conftest import _offline

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laptop_page(browser):
    context = _offline(browser.new_context(viewport={"width": 1366, "height": 768}, locale="th-TH"))
    page = context.new_page()
    yield page
    context.close()


def test_build_and_publish_a_service_from_a_template(live_server, laptop_page, shot):
    from eservice.models import ServiceType
    from portal.demo import DEMO_PASSWORD, load_core

    load_core()
    page = laptop_page
    clicks = 0
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "khamyai-admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.click("text=บริการออนไลน์อย่างน้อยหนึ่งบริการ")  # the set-up checklist
    clicks += 1
    page.wait_for_url("**/eservice/servicetype/from-template/")
    assert_axe_clean(page)
    page.get_by_label("ลงทะเบียนรับเงินเบี้ยยังชีพผู้สูงอายุ").check()
    clicks += 1
    page.click("input[type=submit]")
    clicks += 1
    page.wait_for_url("**/builder/")
    service_type = ServiceType.objects.get(organization__slug="khamyai", code="elderly-allowance")
    assert service_type.current_version is None
    assert_axe_clean(page)
    shot(page, "eservice-builder-01-from-template")

    # One more way to be paid: a new choice row on "ช่องทางรับเงิน".
    payment = service_type.fields.get(code="payment")
    card = page.locator(f"#field-{payment.pk}")
    card.locator("input[name$='-choice']").nth(2).fill("พร้อมเพย์")
    clicks += 1
    card.get_by_role("button", name="บันทึกช่อง").click()
    clicks += 1
    page.wait_for_url(f"**/builder/#field-{payment.pk}")
    assert "พร้อมเพย์" in [label for _c, label in service_type.fields.get(code="payment").choice_pairs()]

    # Keyboard only: move "ที่อยู่ตามทะเบียนบ้าน" above "วันเกิด".
    address = service_type.fields.get(code="address")
    page.focus(f"#up-{address.pk}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    codes = list(service_type.fields.values_list("code", flat=True))
    assert codes.index("address") < codes.index("birth_date")
    # The keyboard focus comes back on the field just moved, and its "move up" button is the next stop.
    assert page.evaluate("document.activeElement.id") == f"field-{address.pk}"

    # The phone preview is the citizen's page from the draft, Thai then English.
    frame = page.frame_locator("#preview-frame")
    expect(frame.get_by_text("พร้อมเพย์")).to_be_visible()
    assert frame.locator("h1").inner_text() == "ลงทะเบียนรับเงินเบี้ยยังชีพผู้สูงอายุ"
    page.click("a[data-preview-lang=en]")
    frame.locator("h1", has_text="Elderly allowance registration").wait_for()
    assert frame.get_by_text("Payment").first.is_visible()
    page.click("a[data-preview-lang=th]")
    frame.locator("h1", has_text="ลงทะเบียนรับเงินเบี้ยยังชีพผู้สูงอายุ").wait_for()
    changes = page.locator(".builder-publish .changes").inner_text()
    assert "เผยแพร่ครั้งแรก" in changes
    assert_axe_clean(page)
    shot(page, "eservice-builder-02-edited-with-preview")

    page.click("#publish")
    clicks += 1
    page.wait_for_selector("text=เผยแพร่ฉบับที่ 1 แล้ว")
    shot(page, "eservice-builder-03-published")
    page.click("#citizen-page")
    clicks += 1
    page.wait_for_url("**/khamyai/eservice/elderly-allowance/")
    assert page.get_by_text("พร้อมเพย์").is_visible()
    labels = page.locator("form.request-form label").all_inner_texts()
    assert [t for t in labels if "ที่อยู่ตามทะเบียนบ้าน" in t] and \
        labels.index(next(t for t in labels if "ที่อยู่ตามทะเบียนบ้าน" in t)) < \
        labels.index(next(t for t in labels if "วันเกิด" in t))
    shot(page, "eservice-builder-04-citizen-page")
    assert clicks == 7

    # The service's own admin page: roles ticked by name, the builder one click away; axe clean.
    page.goto(f"{live_server.url}/admin/eservice/servicetype/{service_type.pk}/change/")
    assert page.get_by_label("เจ้าหน้าที่", exact=True).is_visible()
    assert page.locator("#builder-link").is_visible()
    assert_axe_clean(page)

"""Phone: tracking forgives what was typed, copies the code, rates anonymously; passphrase toggle; axe-clean."""

import pytest

from tests.e2e.a11y import assert_axe_clean, assert_thai_not_clipped

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_track_loosely_typed_code_copy_and_rate(live_server, phone_page, shot):
    from complaints import services
    from complaints.models import Rating
    from tests.complaints.factories import make_complaint
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="track-town", name_th="เทศบาลตำบลติดตามง่าย")
    complaint = make_complaint(org)
    services.change_status(complaint=complaint, to_status="accepted")
    services.change_status(complaint=complaint, to_status="resolved", note="ซ่อมไฟเรียบร้อย")
    page = phone_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/{org.slug}/complaints/")
    assert_axe_clean(page)
    prefix, year, body = complaint.tracking_code.split("-")
    page.fill("#code", f"{prefix.lower()} {year.translate(str.maketrans('0123456789', '๐๑๒๓๔๕๖๗๘๙'))} {body.lower()}")
    page.click("button[type=submit].btn")
    page.wait_for_selector("#status")
    assert complaint.tracking_code in page.inner_text("h1")
    page.click(".copy-code")
    assert page.evaluate("() => navigator.clipboard.readText()") == complaint.tracking_code
    assert page.inner_text(".copy-code") == "คัดลอกแล้ว"
    assert_axe_clean(page)
    assert_thai_not_clipped(page)
    shot(page, "ux-track-rate-phone")
    page.check("input[name=score][value='2']")
    page.fill("#id_comment", "ไฟยังกะพริบอยู่")
    page.click("#submit-rating")
    page.wait_for_selector("#rating-done")
    assert Rating.objects.get(complaint=complaint).reopen_requested


def test_integrity_status_passphrase_toggle(live_server, phone_page, shot):
    from complaints import services
    from complaints.demo import ensure_categories
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="integrity-town", name_th="เทศบาลตำบลสุจริต")
    cats = ensure_categories(org)
    complaint, passphrase = services.submit_corruption_report(
        organization=org, category=cats["corruption"], description="เรียกรับเงิน", pdpa_consent=True)
    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/integrity/status/")
    assert page.get_attribute("#id_passphrase", "type") == "password"
    page.fill("#id_code", complaint.tracking_code.lower().replace("-", " "))
    page.fill("#id_passphrase", passphrase.replace("-", " "))
    page.click("[data-reveal]")
    assert page.get_attribute("#id_passphrase", "type") == "text"
    assert page.get_attribute("[data-reveal]", "aria-pressed") == "true"
    assert_axe_clean(page)
    shot(page, "ux-integrity-status-phone")
    page.click("button[type=submit].btn:not([data-reveal])")
    page.wait_for_selector("#status")

"""Phone: error pages inside an organization keep its header and a way back; unknown QR stickers offer the form."""

import pytest

from tests.e2e.a11y import assert_axe_clean

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_404_and_unknown_qr_keep_the_organization(live_server, phone_page, shot):
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="err-town", name_th="เทศบาลตำบลหลงทาง", phone="042-000-111")
    page = phone_page
    response = page.goto(f"{live_server.url}/{org.slug}/no-such-page/")
    assert response.status == 404
    assert page.inner_text(".site-header .bar a") == "เทศบาลตำบลหลงทาง"
    assert page.title() == "ไม่พบหน้าที่ต้องการ · เทศบาลตำบลหลงทาง"
    assert page.get_attribute("meta[name=theme-color]", "content") == "#0b5d4b"
    assert page.get_attribute("link[rel=icon]", "href").endswith("favicon.svg")
    assert_axe_clean(page)
    shot(page, "ux-error-404-phone")
    page.click("#back-to-org")
    page.wait_for_url(f"**/{org.slug}/")

    response = page.goto(f"{live_server.url}/{org.slug}/complaints/qr/old-pole-7/")
    assert response.status == 404
    assert "old-pole-7" in page.inner_text("#error-what")
    assert_axe_clean(page)
    shot(page, "ux-error-unknown-qr-phone")
    page.click("#offer-form")
    page.wait_for_url(f"**/{org.slug}/complaints/new/")

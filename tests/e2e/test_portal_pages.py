import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_landing_language_switch_and_org_home(live_server, phone_page, shot):
    from portal.demo import load_core

    load_core()
    page = phone_page
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_text("เทศบาลตำบลคำใหญ่").is_visible()
    shot(page, "portal-01-landing-th")

    page.fill("#q", "สกลนคร")
    page.click("button[type=submit].btn")
    # The click only starts the navigation: wait for the narrowed list rather than read the old page.
    page.wait_for_url(lambda url: "q=" in url)
    expect(page.get_by_text("เทศบาลตำบลพรรณานคร")).to_be_visible()
    expect(page.get_by_text("เทศบาลตำบลคำใหญ่")).to_have_count(0)

    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "portal-02-landing-en")

    page.goto(live_server.url + "/")
    page.click("text=Kham Yai Subdistrict Municipality")
    page.wait_for_url("**/khamyai/")
    assert page.locator("h1").inner_text() == "Kham Yai Subdistrict Municipality"
    shot(page, "portal-03-org-home-en")

    page.click("button[value=th]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "เทศบาลตำบลคำใหญ่"
    # The Thai web font is served locally, never from a CDN.
    font_ok = page.evaluate("document.fonts.check('16px Sarabun', 'ก')")
    assert font_ok
    shot(page, "portal-04-org-home-th")

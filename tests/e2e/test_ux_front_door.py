"""The organization home page as its front door, on a phone and a desktop, in Thai and English; axe-clean."""

import pytest

from tests.e2e.a11y import assert_axe_clean

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_front_door(live_server, phone_page, desktop_page, shot, viewport):
    from complaints.demo import ensure_categories
    from portal.demo import load_core

    load_core()
    from portal.models import Organization

    org = Organization.objects.get(slug="khamyai")
    ensure_categories(org)
    page = phone_page if viewport == "phone" else desktop_page
    page.goto(f"{live_server.url}/khamyai/")
    assert "46170" in page.inner_text("#org-address")
    assert "08:30" in page.inner_text("#org-hours")
    assert page.get_attribute("#org-line", "href") == "https://line.me/R/ti/p/%40khamyai"
    assert page.evaluate("() => document.querySelector('#org-line-qr').naturalWidth") > 0
    assert page.locator(".emergency-list a[href='tel:1669']").count() == 1
    assert page.locator(".services.front-door a[href='/khamyai/complaints/new/'] .desc").count() == 1
    assert_axe_clean(page)
    shot(page, f"ux-front-door-th-{viewport}")

    page.click("button[value=en]")
    page.wait_for_load_state()
    assert "Huai Mek District, Kalasin" in page.inner_text("#org-place")
    assert_axe_clean(page)
    shot(page, f"ux-front-door-en-{viewport}")

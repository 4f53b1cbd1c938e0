"""Plan pages on a phone: wide budget and timeline tables say they scroll and take keyboard focus; axe-clean."""

import pytest

from tests.e2e.a11y import assert_axe_clean
from tests.e2e.test_innovation_plans_reports import _load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_plan_tables_scroll_with_cue_and_focus(live_server, phone_page, shot):
    _load()
    page = phone_page
    page.goto(f"{live_server.url}/phannanakhon/plans/")
    assert_axe_clean(page)
    page.locator("ul.org-list a").first.click()
    page.wait_for_url("**/phannanakhon/plans/*/")
    page.wait_for_selector(".table-wrap.scrolls")
    wrap = page.locator(".table-wrap.scrolls").first
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
    assert "เลื่อนตาราง" in wrap.get_attribute("aria-label")
    assert "เลื่อนตาราง" in wrap.evaluate("el => getComputedStyle(el, '::before').content")
    wrap.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Chromium animates keyboard scrolling: wait for the region to move rather than read it at once.
    page.wait_for_function("el => el.scrollLeft > 0", arg=wrap.element_handle(), timeout=5000)
    assert_axe_clean(page)
    shot(page, "ux-plan-detail-phone")

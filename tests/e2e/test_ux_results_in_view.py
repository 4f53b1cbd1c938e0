"""Phone (390×844): results where the citizen is looking. The tax estimator shows only the chosen tax's questions
and, after "คำนวณ", the result is inside the viewport with the focus on it (the test never scrolls); the e-service
tracking box shows a whole code and takes it in any case, without dashes."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.a11y import assert_axe_clean, controls_cut_off

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _in_viewport(page, selector):
    box = page.locator(selector).bounding_box()
    view = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 200) <= view["height"]


def _estimate(page):
    """Submit the estimate and wait for the new page (the old one may show a result too) and for the browser's scroll
    to its #estimate-result target, which comes after the load; a page that never scrolls fails the assert after."""
    with page.expect_navigation():
        page.click("#estimate-submit")
    page.wait_for_load_state("load")
    try:
        page.wait_for_function("(el) => el.getBoundingClientRect().top < window.innerHeight - 40",
                               arg=page.locator("#estimate-result").element_handle(), timeout=5000)
    except PlaywrightTimeout:  # the caller's assert says what is wrong
        pass


def test_estimate_result_is_in_view_with_the_focus(live_server, phone_page, shot):
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="e2e-estimate")
    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/tax/estimate/")
    assert page.locator("fieldset[data-tax=land_building]").is_visible()
    assert not page.locator("fieldset[data-tax=signboard]").is_visible()  # only the chosen tax's questions
    page.select_option("#id_tax", "signboard")
    assert not page.locator("fieldset[data-tax=land_building]").is_visible()
    page.check("#id_kind_1")
    page.check("input[name=changing][value='0']")
    page.fill("#id_width_cm", "200")
    page.fill("#id_height_cm", "100")
    shot(page, "results-01-estimator-signboard-only")
    assert controls_cut_off(page)["cut"] == []  # long choices are radio buttons whose labels wrap
    _estimate(page)
    assert _in_viewport(page, "#estimate-result"), page.evaluate("window.scrollY")
    assert page.evaluate("document.activeElement && document.activeElement.id") == "estimate-result"
    assert not page.locator("fieldset[data-tax=land_building]").is_visible()  # still the tax chosen
    assert_axe_clean(page)
    shot_viewport(page, "results-02-estimate-in-view")

    page.select_option("#id_tax", "land_building")
    page.check("#id_use_1")
    page.check("#id_owner_0")
    page.fill("#id_value", "๒,๐๐๐,๐๐๐")
    _estimate(page)
    assert _in_viewport(page, "#estimate-result")
    shot_viewport(page, "results-03-land-estimate-in-view")


def shot_viewport(page, name):
    """What the citizen sees without scrolling (the viewport only, not the whole page)."""
    from tests.e2e.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_tracking_box_shows_a_whole_code_and_forgives_case_and_dashes(live_server, phone_page, shot):
    from tests.eservice.factories import make_request
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="e2e-trackbox")
    request_obj = make_request(org)
    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/eservice/#track")
    typed = request_obj.tracking_code.lower().replace("-", " ")
    page.fill("#code", request_obj.tracking_code)
    fits = page.evaluate("() => { const i = document.getElementById('code'); return i.scrollWidth <= i.clientWidth; }")
    assert fits, page.evaluate("document.getElementById('code').clientWidth")
    shot_viewport(page, "results-04-tracking-box-whole-code")
    page.fill("#code", typed)
    page.press("#code", "Enter")
    page.wait_for_selector("h1 .code")
    assert page.inner_text("h1 .code").strip() == request_obj.tracking_code

"""The complaint map: OpenStreetMap tiles with attribution by default (never fetched by the tests), the
organization's area and clear pin-or-address guidance with tiles off; the public dashboard map alike."""

import pytest

from tests.e2e import conftest
from tests.e2e.a11y import assert_axe_clean

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _org():
    from complaints.demo import ensure_categories
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="map-town", name_th="เทศบาลตำบลแผนที่ชัด")
    return org, ensure_categories(org)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_osm_tiles_by_default_with_attribution(live_server, phone_page, desktop_page, shot, viewport):
    org, _cats = _org()
    page = phone_page if viewport == "phone" else desktop_page
    conftest.EXTERNAL_REQUESTS.clear()
    page.goto(f"{live_server.url}/{org.slug}/complaints/new/")
    page.wait_for_selector(".leaflet-tile")
    attribution = page.inner_text(".leaflet-control-attribution")
    assert "OpenStreetMap" in attribution
    assert any("tile.openstreetmap.org" in url for url in conftest.EXTERNAL_REQUESTS)  # answered locally
    assert page.is_visible("#location-need")
    assert page.locator("#no-tiles").count() == 0
    assert_axe_clean(page)
    shot(page, f"ux-map-osm-{viewport}")

    page.goto(f"{live_server.url}/{org.slug}/complaints/dashboard/")
    page.wait_for_selector(".leaflet-control-attribution")
    assert "OpenStreetMap" in page.inner_text(".leaflet-control-attribution")
    assert_axe_clean(page)
    shot(page, f"ux-map-dashboard-{viewport}")


def test_tiles_off_shows_area_and_asks_for_pin_or_address(live_server, phone_page, settings, shot):
    settings.MAP_TILE_URL = ""
    settings.MAP_TILE_ATTRIBUTION = ""
    org, cats = _org()
    page = phone_page
    conftest.EXTERNAL_REQUESTS.clear()
    page.goto(f"{live_server.url}/{org.slug}/complaints/new/")
    assert page.is_visible("#no-tiles")
    assert page.locator("path.leaflet-interactive, .leaflet-overlay-pane path").count() >= 1  # the area circle
    assert not conftest.EXTERNAL_REQUESTS
    page.select_option("#id_category", str(cats["street_light"].pk))
    page.fill("#id_description", "ไฟถนนดับหน้าโรงเรียน")
    page.click("#submit-complaint")
    page.wait_for_selector("#location-error")
    # The error stands with the location question, above the map, not under the address box alone.
    error_box = page.locator("#location-error").bounding_box()
    assert error_box["y"] < page.locator("#map").bounding_box()["y"]
    assert page.input_value("#id_description") == "ไฟถนนดับหน้าโรงเรียน"
    assert_axe_clean(page)
    shot(page, "ux-map-tiles-off-error-phone")
    page.fill("#id_address", "หน้าโรงเรียนบ้านโนนสูง")
    page.click("#submit-complaint")
    page.wait_for_selector("#status")

"""A citizen searches the catalogue in Thai, opens a dataset, sees the table (with a chart) and map previews,
and downloads the file."""

import pytest

from tests.e2e.a11y import assert_axe_clean

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue():
    from tests.opendata.factories import make_csv_resource, make_dataset, make_geojson_resource
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="data-town", name_th="เทศบาลตำบลข้อมูลเปิด")
    dataset = make_dataset(org, title="สถิติเรื่องร้องเรียนรายเดือนและจุดติดตั้งหอกระจายข่าว", name="complaints-and-points",
                           tags=["ร้องเรียน", "แผนที่"])
    make_csv_resource(dataset)
    make_geojson_resource(dataset)
    make_dataset(org, title="งบประมาณรายจ่ายประจำปี", name="budget", notes="งบประมาณแยกตามแผนงาน",
                 tags=["งบประมาณ"])
    return org


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_search_in_thai_open_preview_and_download(live_server, phone_page, desktop_page, shot, catalogue, viewport):
    from opendata.models import Resource

    page = phone_page if viewport == "phone" else desktop_page
    page.goto(f"{live_server.url}/opendata/")
    page.fill("#od-q", "ร้องเรียน")
    page.click(".od-search button")
    page.wait_for_selector(".od-count")
    assert "พบ 1 ชุดข้อมูล" in page.inner_text(".od-count")
    assert page.locator(".od-item").count() == 1
    shot(page, f"opendata-search-{viewport}")

    page.click(".od-item h2 a")
    page.wait_for_selector("table.od-preview tbody tr")
    assert page.locator("table.od-preview tbody tr").count() == 3
    assert "ชนิด: numeric" in page.inner_text("table.od-preview")
    page.wait_for_selector(".od-chart svg")
    page.wait_for_selector(".od-map .leaflet-marker-icon")
    assert page.locator(".od-map .leaflet-marker-icon").count() == 2
    assert_axe_clean(page)
    shot(page, f"opendata-dataset-{viewport}")

    with page.expect_download() as info:
        page.locator(".od-download").first.click()
    download = info.value
    content = open(download.path(), "rb").read().decode("utf-8")
    assert content.startswith("เดือน,ประเภท")
    table = Resource.objects.get(format="CSV")
    assert table.download_count == 1

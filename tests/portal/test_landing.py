"""The landing page at the scale of the whole country: one page of organizations at a time, searchable."""

import re

import pytest

from portal.web.views import LANDING_PAGE_SIZE
from tests.portal.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _names(html):
    return re.findall(r'<span class="name">([^<]+)</span>', html)


@pytest.fixture
def many():
    """Two and a half pages of organizations in Khon Kaen and a few in Nan."""
    count = LANDING_PAGE_SIZE * 2 + LANDING_PAGE_SIZE // 2
    for n in range(count):
        OrganizationFactory(name_th=f"เทศบาลตำบลทดสอบ{n:03d}", province="ขอนแก่น", district="เมืองขอนแก่น")
    for n in range(3):
        OrganizationFactory(name_th=f"องค์การบริหารส่วนตำบลน่าน{n}", province="น่าน", district="ปัว",
                            district_en="Pua")
    return count + 3


def test_the_landing_page_shows_one_page_and_links_to_the_next(client, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the count and the page, however many organizations there are
        html = client.get("/").content.decode()
    assert len(_names(html)) == LANDING_PAGE_SIZE
    assert f"{many} องค์กร" in html and "หน้า 1 จาก 3" in html
    assert 'href="?page=2" rel="next"' in html and 'rel="prev"' not in html
    last = client.get("/", {"page": 3}).content.decode()
    assert len(_names(last)) == many - 2 * LANDING_PAGE_SIZE and 'href="?page=2" rel="prev"' in last
    seen = set()
    for number in (1, 2, 3):
        seen |= set(_names(client.get("/", {"page": number}).content.decode()))
    assert len(seen) == many  # every organization on exactly one page


def test_search_by_province_district_or_name_pages_its_results(client, many):
    found = client.get("/", {"q": "น่าน"}).content.decode()
    assert sorted(_names(found)) == [f"องค์การบริหารส่วนตำบลน่าน{n}" for n in range(3)]
    assert "3 องค์กร" in found and 'class="pager"' not in found
    assert len(_names(client.get("/", {"q": "ปัว"}).content.decode())) == 3
    assert _names(client.get("/", {"q": "ทดสอบ007"}).content.decode()) == ["เทศบาลตำบลทดสอบ007"]
    khon_kaen = client.get("/", {"q": "ขอนแก่น", "page": 2}).content.decode()
    assert len(_names(khon_kaen)) == LANDING_PAGE_SIZE and "q=%E0%B8%82" in khon_kaen  # the query stays in the links


def test_a_page_past_the_end_or_not_a_number_shows_a_real_page(client, many):
    assert len(_names(client.get("/", {"page": "๙๙"}).content.decode())) > 0
    assert client.get("/", {"page": "abc"}).status_code == 200
    assert client.get("/", {"page": 999}).status_code == 200


def test_english_landing_page_speaks_english_only(client, many):
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert f"{many} organizations" in html and "Page 1 of 3" in html and "Next" in html
    assert "ถัดไป" not in html and "หน้า 1 จาก" not in html


def test_a_thai_query_is_matched_on_the_thai_columns_only(client, many, django_assert_max_num_queries):
    """Thai has no letter case: the four Thai columns are compared as they are (case-folding nine columns of
    7,850 organizations was most of a search's time); a Latin query still looks at the English names too."""
    with django_assert_max_num_queries(2) as queries:
        assert len(_names(client.get("/", {"q": "ปัว"}).content.decode())) == 3
    page = queries.captured_queries[-1]["sql"]
    assert page.count("LIKE") == 4 and "UPPER(" not in page
    with django_assert_max_num_queries(2) as queries:
        assert len(_names(client.get("/", {"q": "pua"}).content.decode())) == 3
    assert queries.captured_queries[-1]["sql"].count("LIKE") >= 8


def test_the_count_is_kept_per_query_and_forgotten_when_an_organization_changes(client, many,
                                                                                django_assert_num_queries):
    assert f"{many} องค์กร" in client.get("/").content.decode()
    with django_assert_num_queries(1):  # the page's rows only: 7,850 organizations were counted on every visit
        assert f"{many} องค์กร" in client.get("/").content.decode()
    assert "3 องค์กร" in client.get("/", {"q": "น่าน"}).content.decode()  # each query its own count

    added = OrganizationFactory(name_th="องค์การบริหารส่วนตำบลน่านใหม่", province="น่าน")
    assert f"{many + 1} องค์กร" in client.get("/").content.decode()
    assert "4 องค์กร" in client.get("/", {"q": "น่าน"}).content.decode()
    added.is_active = False
    added.save()
    assert f"{many} องค์กร" in client.get("/").content.decode()
    OrganizationFactory(name_th="เทศบาลตำบลน่านชั่วคราว", province="น่าน").delete()
    assert "3 องค์กร" in client.get("/", {"q": "น่าน"}).content.decode()

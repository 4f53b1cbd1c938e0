"""District and province names in English on English pages: the organization's own English fields first, the
official English province name when staff left it empty, Thai on Thai pages."""

import pytest
from django.test import Client

from portal import thai

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_province_english_from_the_official_list():
    assert thai.province_english("กาฬสินธุ์") == "Kalasin"
    assert thai.province_english("จังหวัดบุรีรัมย์") == "Buri Ram"
    assert thai.province_english("ไม่มีจังหวัดนี้") == ""
    assert len(thai.provinces_en()) == 77


def _page(client, path, language):
    client.cookies["django_language"] = language
    return client.get(path).content.decode()


def test_landing_and_home_page_say_district_and_province_in_the_page_language():
    filled = OrganizationFactory(slug="khamyai", district="ห้วยเม็ก", district_en="Huai Mek", province="กาฬสินธุ์")
    bare = OrganizationFactory(slug="nangrong", district="นางรอง", province="บุรีรัมย์")  # no English typed in
    client = Client()
    english = _page(client, "/", "en")
    assert "Huai Mek District, Kalasin" in english
    assert "Buri Ram" in english and "บุรีรัมย์" not in english
    assert "อำเภอ" not in english and "จังหวัด" not in english
    thai_page = _page(client, "/", "th")
    assert "อำเภอห้วยเม็ก จังหวัดกาฬสินธุ์" in thai_page and "Kalasin" not in thai_page
    home = _page(client, bare.get_absolute_url(), "en")
    assert "Buri Ram" in home and "บุรีรัมย์" not in home
    assert "Huai Mek" in _page(client, filled.get_absolute_url(), "en")


def test_search_finds_an_organization_by_its_english_place_names():
    OrganizationFactory(slug="khamyai", district="ห้วยเม็ก", district_en="Huai Mek", province="กาฬสินธุ์")
    client = Client()
    assert "khamyai" in client.get("/", {"q": "kalasin"}).content.decode()
    assert "khamyai" in client.get("/", {"q": "Huai"}).content.decode()
    assert "khamyai" not in client.get("/", {"q": "Buri Ram"}).content.decode()

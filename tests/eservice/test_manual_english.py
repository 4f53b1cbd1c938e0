"""A service's citizen's manual (คู่มือสำหรับประชาชน) in the page's language: the English description, steps, office
and legal basis on an English page when the organization gave them, else the Thai (a manual without English keeps
showing its Thai); the templates that ship with the portal have English manuals."""

import re

import pytest
from django.urls import reverse

from eservice import catalogue
from portal.models import Role
from tests.portal.factories import staff

from .factories import service_with_template

pytestmark = pytest.mark.django_db
MANUAL_EN = ("description_en", "steps_en", "office_en", "legal_basis_en")


def _page(client, name, org, code, language):
    client.cookies["django_language"] = language
    response = client.get(reverse(name, args=[org.slug, code] if code else [org.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_manual_without_english_shows_its_thai_on_an_english_page(client, org):
    service_type = service_with_template(org, "building-permit")
    for field in MANUAL_EN:
        setattr(service_type, field, "")
    service_type.save()
    english = _page(client, "eservice:manual", org, "building-permit", "en")
    for thai in ("ขออนุญาตก่อสร้าง ดัดแปลง หรือรื้อถอนอาคาร", "ตรวจพิจารณาแบบแปลน", "กองช่าง ที่ทำการองค์กร",
                 "พระราชบัญญัติควบคุมอาคาร พ.ศ. 2522 มาตรา 21"):
        assert thai in english
    assert "ขออนุญาตก่อสร้าง ดัดแปลง" in _page(client, "eservice:catalogue", org, None, "en")


def test_the_english_manual_shows_on_an_english_page_and_the_thai_on_a_thai_page(client, org):
    service_type = service_with_template(org, "building-permit")
    service_type.office_en = "Division of Public Works, room 2"
    service_type.save()
    english = _page(client, "eservice:manual", org, "building-permit", "en")
    for text in ("Permission to build, alter or demolish a building", "<li>The plans are reviewed</li>",
                 "Division of Public Works, room 2", "Building Control Act B.E. 2522 (1979), section 21"):
        assert text in english
    for thai in ("ขออนุญาตก่อสร้าง ดัดแปลง", "ตรวจพิจารณาแบบแปลน", "กองช่าง", "พระราชบัญญัติควบคุมอาคาร"):
        assert thai not in english
    assert "Permission to build, alter or demolish" in _page(client, "eservice:catalogue", org, None, "en")
    thai_page = _page(client, "eservice:manual", org, "building-permit", "th")
    assert "ตรวจพิจารณาแบบแปลน" in thai_page and "พระราชบัญญัติควบคุมอาคาร" in thai_page
    assert "The plans are reviewed" not in thai_page and "Building Control Act" not in thai_page


def test_every_shipped_template_has_an_english_manual_and_a_service_made_from_it_keeps_it(org):
    for key, template in catalogue.TEMPLATES.items():
        assert all(template.get(field) for field in MANUAL_EN), key
        assert len(template["steps_en"].splitlines()) == len(template["steps"].splitlines()), key
    service_type = service_with_template(org, "garbage-bin")
    assert [getattr(service_type, f) for f in MANUAL_EN] == [catalogue.TEMPLATES["garbage-bin"][f] for f in MANUAL_EN]


def test_the_admin_has_an_english_box_beside_each_thai_text_of_the_manual(client, org):
    service_type = service_with_template(org, "garbage-bin")
    client.force_login(staff(org, Role.ADMINISTRATOR))
    page = client.get(reverse("admin:eservice_servicetype_change", args=[service_type.pk])).content.decode()
    for field in ("description", "steps", "office", "legal_basis"):
        assert f'name="{field}"' in page and f'name="{field}_en"' in page, field
        # One row of the fieldset holds both boxes.
        assert re.search(rf'class="form-row[^"]*\bfield-{field}\b[^"]*\bfield-{field}_en\b', page), field

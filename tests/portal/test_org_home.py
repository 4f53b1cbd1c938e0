"""The organization's home page is its front door: contact, hours, LINE, emergency numbers, live services only."""

import re

import pytest
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


def _front_door(org):
    org.address = "หมู่ 1 ตำบลคำใหญ่ อำเภอห้วยเม็ก จังหวัดกาฬสินธุ์ 46170"
    org.office_hours = "จันทร์–ศุกร์ 08:30–16:30 น."
    org.line_oa_id = "@khamyai"
    org.emergency_numbers = "ดับเพลิง 199\nเจ็บป่วยฉุกเฉิน 1669\n"
    org.district, org.district_en, org.province, org.province_en = "ห้วยเม็ก", "Huai Mek", "กาฬสินธุ์", "Kalasin"
    org.full_clean()
    org.save()
    return org


def test_front_door_shows_contact_hours_line_and_emergency(client, org):
    _front_door(org)
    html = client.get(org.get_absolute_url()).content.decode()
    assert "46170" in html and "08:30–16:30" in html
    assert 'href="https://line.me/R/ti/p/%40khamyai"' in html
    assert f'id="org-line-qr" src="/{org.slug}/line-qr.svg?v=' in html
    assert 'href="tel:199"' in html and 'href="tel:1669"' in html
    assert "ห้วยเม็ก" in html and "Huai Mek" not in html


def test_english_page_uses_english_district_and_province(client, org):
    _front_door(org)
    client.cookies["django_language"] = "en"
    html = client.get(org.get_absolute_url()).content.decode()
    place = html.split('id="org-place">', 1)[1].split("</p>", 1)[0]
    assert "Huai Mek District, Kalasin" in place
    assert "ห้วยเม็ก" not in place and "อำเภอ" not in place


def test_emergency_list_parses_label_and_number(org):
    org.emergency_numbers = "เหตุด่วนเหตุร้าย (ตำรวจ) 191\n\n  ดับเพลิง: 199  \n1669"
    assert org.emergency_list == [("เหตุด่วนเหตุร้าย (ตำรวจ)", "191"), ("ดับเพลิง", "199"), ("1669", "1669")]


def test_line_id_must_start_with_at(org):
    org.line_oa_id = "khamyai"
    with pytest.raises(ValidationError):
        org.full_clean()


def test_only_switched_on_services_are_advertised(client, org):
    from complaints.demo import ensure_categories

    html = client.get(org.get_absolute_url()).content.decode()
    assert f"/{org.slug}/complaints/new/" not in html and f"/{org.slug}/plans/" not in html
    ensure_categories(org)
    html = client.get(org.get_absolute_url()).content.decode()
    assert f"/{org.slug}/complaints/new/" in html and f"/{org.slug}/integrity/" in html
    assert "ใช้รหัสติดตามที่ได้รับตอนแจ้งเรื่อง" in html  # what the service needs
    assert f"/{org.slug}/plans/" not in html  # no published plan yet


def test_the_line_qr_is_an_image_drawn_once_per_line_id_not_per_request(client, org, monkeypatch):
    """Drawing the QR cost more than the rest of the page, and inline it made the page six times larger: it is an
    image of its own, drawn once for a LINE id and kept, whose URL changes with the id."""
    from portal.outputs import qr
    from portal.web import views

    views._qr_svg.cache_clear()
    drawn = []
    real = qr.svg_bytes
    monkeypatch.setattr(qr, "svg_bytes", lambda text: drawn.append(text) or real(text))
    _front_door(org)
    first = _qr(client.get(org.get_absolute_url()))
    image = client.get(first)
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"
    assert image.content.startswith(b"<svg") and "max-age=86400" in image["Cache-Control"]
    assert client.get(first).content == image.content
    views._qr_svg.cache_clear()  # another process: the shared cache has it
    client.get(first)
    assert drawn == ["https://line.me/R/ti/p/%40khamyai"]
    org.line_oa_id = "@khamyai2"
    org.save()
    changed = _qr(client.get(org.get_absolute_url()))
    assert changed != first
    assert client.get(changed).content != image.content
    assert drawn[-1] == "https://line.me/R/ti/p/%40khamyai2" and len(drawn) == 2
    org.line_oa_id = ""
    org.save()
    assert client.get(first).status_code == 404 and 'id="org-line-qr"' not in client.get(org.get_absolute_url()).content.decode()


def _qr(response):
    return re.search(r'id="org-line-qr" src="([^"]+)"', response.content.decode()).group(1)


def test_office_hours_in_english_on_an_english_page_and_thai_without_them(client, org):
    _front_door(org)
    client.cookies["django_language"] = "en"
    hours = lambda: client.get(org.get_absolute_url()).content.decode().split('id="org-hours">', 1)[1].split("<")[0]  # noqa: E731
    assert hours() == "จันทร์–ศุกร์ 08:30–16:30 น."  # none in English yet: the Thai, not nothing
    org.office_hours_en = "Monday–Friday 08:30–16:30"
    org.save()
    assert hours() == "Monday–Friday 08:30–16:30"
    client.cookies["django_language"] = "th"
    assert hours() == "จันทร์–ศุกร์ 08:30–16:30 น."

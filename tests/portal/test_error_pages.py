"""Error pages under /<org>/ keep the organization; every page has a title, favicon, theme colour, description."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from portal.web import errors

pytestmark = pytest.mark.django_db


def test_404_inside_an_organization_keeps_its_header_and_link(client, org):
    response = client.get(f"/{org.slug}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'href="{org.get_absolute_url()}"' in html and 'id="back-to-org"' in html
    assert f"<title>ไม่พบหน้าที่ต้องการ · {org.name_th}</title>" in html
    assert "ทำอย่างไรต่อ" in html


def test_404_outside_any_organization_links_home(client):
    response = client.get("/no-such-org-here/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'id="back-to-org"' not in html and 'href="/"' in html


def test_unknown_qr_sticker_says_so_and_offers_the_form(client, org):
    response = client.get(f"/{org.slug}/complaints/qr/ls-999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ls-999" in html and "สติกเกอร์ QR" in html
    assert f'href="/{org.slug}/complaints/new/"' in html
    assert 'id="back-to-org"' in html


def test_403_and_400_and_429_pages_keep_the_organization(rf, org):
    for status in (400, 403, 429):
        request = rf.get(f"/{org.slug}/complaints/new/")
        response = errors.error_response(request, status)
        assert response.status_code == status
        assert org.name_th in response.content.decode()


def test_500_keeps_the_organization_and_survives_a_failing_lookup(rf, org, monkeypatch):
    response = errors.server_error(rf.get(f"/{org.slug}/complaints/"))
    assert response.status_code == 500 and org.name_th in response.content.decode()
    assert "ระบบขัดข้องชั่วคราว" in response.content.decode()

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(errors, "organization_for", lambda request: broken())
    with pytest.raises(RuntimeError):
        errors.organization_for(rf.get("/x/"))
    monkeypatch.undo()
    from portal.models import Organization
    monkeypatch.setattr(Organization.objects, "filter", broken)
    response = errors.server_error(rf.get(f"/{org.slug}/complaints/"))
    assert response.status_code == 500 and "ระบบขัดข้องชั่วคราว" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_view_that_crashes_gives_the_org_500_page(org, monkeypatch):
    from complaints import views

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "public_categories", crash)
    client = Client(raise_request_exception=False)
    response = client.get(f"/{org.slug}/complaints/new/")
    assert response.status_code == 500
    assert org.name_th in response.content.decode()


def test_pages_have_favicon_theme_colour_and_description(client, org):
    for url in ("/", org.get_absolute_url(), f"/{org.slug}/complaints/", f"/{org.slug}/nope/"):
        html = client.get(url).content.decode()
        assert 'rel="icon"' in html and 'name="theme-color"' in html, url
        assert '<meta name="description" content="' in html and 'content=""' not in html, url
    assert finders.find("favicon.svg"), "the icon the pages link to is a static file"

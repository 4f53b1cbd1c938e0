"""Complaints on the shared core: rate limits that fit citizens (issue 7.9), private evidence and public photos
(7.11), image decoding bounded before decoding (7.12)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from complaints.demo import ensure_categories
from complaints.models import Asset, Complaint, ComplaintPhoto
from portal.models import Role
from tests.portal.factories import staff

from .factories import AssetFactory, jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True


def form_data(category, **extra):
    data = {"category": category.pk, "description": "ไฟถนนดับทั้งซอย", "latitude": "16.4321",
            "longitude": "102.8231", "village": "หมู่ 2", "notify_channel": ""}
    data.update(extra)
    return data


def test_failed_submissions_do_not_use_up_the_allowance(client, org, limits_on):
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    for _ in range(12):
        assert client.post(url, form_data(cats["garbage"], description="")).status_code == 400
    assert client.post(url, form_data(cats["garbage"])).status_code == 302


def test_limit_is_per_organization_and_the_429_keeps_what_was_typed(client, org, other_org, limits_on):
    cats, other_cats = ensure_categories(org), ensure_categories(other_org)
    url = reverse("complaints:new", args=[org.slug])
    for _ in range(10):
        assert client.post(url, form_data(cats["garbage"])).status_code == 302
    typed = "น้ำท่วมขังหน้าโรงเรียนบ้านหนองบัว สามวันแล้ว"
    refused = client.post(url, form_data(cats["garbage"], description=typed), HTTP_ACCEPT="text/html")
    body = refused.content.decode()
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert typed in body  # the form again, with the text still in it
    assert org.name_th in body and "ลองใหม่ในอีก" in body
    assert Complaint.objects.filter(description=typed).count() == 0
    other_url = reverse("complaints:new", args=[other_org.slug])
    other_data = form_data(other_cats["garbage"], latitude="", longitude="")
    assert client.post(other_url, other_data).status_code == 302


def test_citizens_behind_the_trusted_proxy_have_their_own_allowance(org, limits_on, settings):
    settings.TRUSTED_PROXY_DEPTH = 1
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(10):
        client.post(url, form_data(cats["garbage"]), HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.post(url, form_data(cats["garbage"]), HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post(url, form_data(cats["garbage"]), HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


def test_a_qr_scan_counts_once_per_visitor_per_day_and_is_throttled(org, limits_on):
    cats = ensure_categories(org)
    AssetFactory(organization=org, category=cats["loudspeaker"], code="LS-077")
    url = reverse("complaints:qr-scan", args=[org.slug, "LS-077"])
    visitor = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(5):
        assert visitor.get(url).status_code == 302
    assert Asset.objects.get(code="LS-077").scan_count == 1
    Client(REMOTE_ADDR="198.51.100.2").get(url)
    assert Asset.objects.get(code="LS-077").scan_count == 2
    codes = [visitor.get(url).status_code for _ in range(60)]
    assert 429 in codes


def test_open311_get_is_throttled(org, limits_on):
    ensure_categories(org)
    url = reverse("open311-services", kwargs={"fmt": "json"}) + f"?jurisdiction_id={org.slug}"
    client = Client(REMOTE_ADDR="198.51.100.9")
    first = client.get(url)
    assert first.status_code == 200
    # 120 a minute: 241 requests put at least 121 in one minute, whatever the clock.
    codes = [client.get(url).status_code for _ in range(240)]
    assert 429 in codes


def _submit_corruption(client, org, cats):
    photo = SimpleUploadedFile("evidence.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(reverse("complaints:integrity-new", args=[org.slug]), {
        "category": cats["corruption"].pk, "description": "เรียกรับเงินใต้โต๊ะ", "photos": [photo]})
    assert response.status_code == 200, response.content.decode()[:500]
    return ComplaintPhoto.objects.get(complaint__is_protected=True)


def test_corruption_evidence_is_private_and_served_only_to_its_readers(client, org, settings):
    cats = ensure_categories(org)
    photo = _submit_corruption(client, org, cats)
    assert not photo.image and photo.evidence
    assert photo.evidence.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert client.get("/media/" + photo.evidence.name).status_code == 404
    url = reverse("complaints-photo", args=[photo.pk])
    assert photo.url == url
    for role in (Role.ADMINISTRATOR, Role.OFFICER, Role.AUDITOR):
        viewer = Client()
        viewer.force_login(staff(org, role))
        assert viewer.get(url).status_code == 404, role
    legal = Client()
    legal.force_login(staff(org, Role.LEGAL_OFFICER))
    response = legal.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    elsewhere = Client()
    from tests.portal.factories import OrganizationFactory

    elsewhere.force_login(staff(OrganizationFactory(), Role.LEGAL_OFFICER))
    assert elsewhere.get(url).status_code == 404


def test_public_complaint_photos_are_served_in_production_too(client, org, settings):
    settings.DEBUG = False
    cats = ensure_categories(org)
    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    client.post(reverse("complaints:new", args=[org.slug]), {**form_data(cats["garbage"]), "photos": [photo]})
    stored = ComplaintPhoto.objects.get()
    response = client.get(stored.url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def _png_bomb(side=7745):
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_five_pixel_bombs_in_one_post_are_refused_without_decoding(client, org, monkeypatch):
    """Refused by their declared size: no pixel is ever decoded (how long that takes is in BENCHMARKS.md)."""
    from PIL import ImageFile

    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self.size) or real_load(self))
    cats = ensure_categories(org)
    bombs = [SimpleUploadedFile(f"{i}.png", _png_bomb(), content_type="image/png") for i in range(5)]
    response = client.post(reverse("complaints:new", args=[org.slug]), {**form_data(cats["garbage"]),
                                                                      "photos": bombs})
    assert response.status_code == 400 and "พิกเซล" in response.content.decode()
    assert decoded == []
    assert Complaint.objects.count() == 0

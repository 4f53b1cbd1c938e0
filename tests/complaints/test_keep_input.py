"""The complaint forms never lose input: typed text and chosen photos survive every error, the 429 included."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complaints.demo import ensure_categories
from complaints.models import Complaint

from .factories import jpeg_bytes
from .test_views import form_data

pytestmark = pytest.mark.django_db

TEXT = "ไฟถนนดับทั้งซอย หน้าวัดถึงสามแยก มืดมากตอนกลางคืน"


def _photo(name="ไฟดับ.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(size=(640, 480)), content_type="image/jpeg")


def _kept_tokens(page: str, field="photos") -> list[str]:
    return re.findall(rf'name="{field}__kept" value="([^"]+)"', page)


def test_a_refusal_by_the_service_keeps_the_photo_with_its_thumbnail(client, org):
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    # Outside the organization's area: refused by the service, after the form itself was valid.
    first = client.post(url, {**form_data(cats["street_light"], description=TEXT, latitude="13.7", longitude="100.5"),
                              "photos": [_photo()]})
    page = first.content.decode()
    assert first.status_code == 400 and "นอกพื้นที่" in page
    assert TEXT in page and 'value="หมู่ 2"' in page  # what was typed is still there
    tokens = _kept_tokens(page)
    assert len(tokens) == 1 and "ไฟดับ.jpg" in page
    thumb = reverse("kept-upload", args=[tokens[0]])
    assert f'src="{thumb}"' in page
    assert client.get(thumb)["Content-Type"] == "image/jpeg"
    assert Client().get(thumb).status_code == 404  # another browser never sees it
    assert Complaint.objects.count() == 0
    # Filing with the kept photo, and that only this browser may: tests/portal/test_keep_input.py


def test_a_form_error_keeps_photos_and_a_removed_photo_is_not_filed(client, org):
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    first = client.post(url, {**form_data(cats["garbage"], contact_phone="โทรหาผมนะ"),
                              "photos": [_photo("a.jpg"), _photo("b.jpg")]})
    page = first.content.decode()
    assert first.status_code == 400 and "เบอร์โทรไม่ถูกต้อง" in page
    a, b = _kept_tokens(page)
    assert "เอาไฟล์นี้ออก" in page  # the remove control
    second = client.post(url, {**form_data(cats["garbage"]), "photos__kept": [a, b], "photos__drop": [a]})
    assert second.status_code == 302
    assert Complaint.objects.get().photos.count() == 1






def test_corruption_report_keeps_its_evidence_across_an_error(client, org):
    cats = ensure_categories(org)
    url = reverse("complaints:integrity-new", args=[org.slug])
    data = {"category": cats["corruption"].pk, "description": "เรียกรับเงินใต้โต๊ะ"}
    first = client.post(url, {**data, "contact_email": "not-an-email", "photos": [_photo("หลักฐาน.jpg")]})
    page = first.content.decode()
    assert first.status_code == 400 and "เรียกรับเงินใต้โต๊ะ" in page
    tokens = _kept_tokens(page)
    assert len(tokens) == 1
    assert client.post(url, {**data, "photos__kept": tokens}).status_code == 200
    complaint = Complaint.objects.get()
    photo = complaint.photos.get()
    assert photo.evidence and not photo.image  # private evidence, as a new upload would be


def test_kept_photo_and_long_text_errors_read_in_english(client, org, settings):
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url, {**form_data(cats["garbage"], description="ก" * 4001), "photos": [_photo("a.jpg")]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "over the limit of 4000" in page and "Remove this file" in page
    assert "the photos you chose are still here" in page and "เอาไฟล์นี้ออก" not in page

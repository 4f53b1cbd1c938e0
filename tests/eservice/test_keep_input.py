"""The tracking page's document upload never loses input: the files that passed their checks are kept across an
error and a 429 (the request form's own kept input: tests/portal/test_keep_input.py)."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from eservice.models import RequestDocument
from eservice.requests import services
from eservice.workflow import Status
from portal.models import Role
from tests.portal.factories import staff

from .factories import PDF_BYTES, make_request, png_bytes

pytestmark = pytest.mark.django_db


def _kept(page, field):
    return re.findall(rf'name="{field}__kept" value="([^"]+)"', page)


def test_tracking_upload_keeps_the_good_document_when_another_is_refused(client, org):
    officer = staff(org, Role.OFFICER)
    request_obj = make_request(org)
    services.ask_for_documents(request_obj=request_obj, message="ขอเอกสารเพิ่ม",
                               items=["สำเนาทะเบียนบ้าน", "แผนที่ตั้งบ้าน"], actor=officer)
    track_url = reverse("eservice:track", args=[org.slug, request_obj.tracking_code])
    client.get(track_url, {"k": request_obj.access_key})
    doc_request = request_obj.document_requests.get()
    upload_url = reverse("eservice:upload", args=[org.slug, request_obj.tracking_code, doc_request.pk])
    first = client.post(upload_url, {"doc_0": SimpleUploadedFile("บ้าน.png", png_bytes()),
                                     "doc_1": SimpleUploadedFile("x.pdf", b"plain text")})
    page = first.content.decode()
    assert first.status_code == 400 and "ชนิดไฟล์ไม่รองรับ" in page and "บ้าน.png" in page
    tokens = _kept(page, "doc_0")
    assert len(tokens) == 1
    thumb = reverse("kept-upload", args=[tokens[0]])
    assert f'src="{thumb}"' in page and client.get(thumb).status_code == 200
    second = client.post(upload_url, {"doc_0__kept": tokens, "doc_1": SimpleUploadedFile("map.pdf", PDF_BYTES)})
    assert second.status_code == 302
    request_obj.refresh_from_db()
    assert request_obj.status == Status.CHECKING
    names = dict(RequestDocument.objects.values_list("label", "original_name"))
    assert names == {"สำเนาทะเบียนบ้าน": "บ้าน.png", "แผนที่ตั้งบ้าน": "map.pdf"}


def test_rate_limited_document_upload_keeps_the_documents(client, org, settings):
    officer = staff(org, Role.OFFICER)
    request_obj = make_request(org)
    services.ask_for_documents(request_obj=request_obj, message="ขอเอกสารเพิ่ม", items=["สำเนาทะเบียนบ้าน"],
                               actor=officer)
    client.get(reverse("eservice:track", args=[org.slug, request_obj.tracking_code]), {"k": request_obj.access_key})
    doc_request = request_obj.document_requests.get()
    upload_url = reverse("eservice:upload", args=[org.slug, request_obj.tracking_code, doc_request.pk])
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    for _ in range(30):  # every attempt counts here
        assert client.post(upload_url, {}).status_code == 400
    refused = client.post(upload_url, {"doc_0": SimpleUploadedFile("บ้าน.png", png_bytes())})
    page = refused.content.decode()
    assert refused.status_code == 429 and "บ้าน.png" in page and len(_kept(page, "doc_0")) == 1
    assert Client().post(upload_url, {}).status_code == 403  # the refusal page is the requester's only
    cache.clear()

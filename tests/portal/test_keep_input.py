"""Citizen forms never lose input, in every app that has them: typed text and chosen files survive a form error (for
this browser only) and a 429, and a text over its limit is counted and kept, never cut."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portal.inputs import tempuploads

pytestmark = pytest.mark.django_db

TEXT = "ท่อระบายน้ำหน้าบ้านเลขที่ 99 อุดตัน น้ำท่วมขังทุกครั้งที่ฝนตก"


@dataclass
class Form:
    url: str
    data: Callable[..., dict]  # a valid submission, with `extra` fields changed
    text_field: str
    max_chars: int
    file_field: str
    file: Callable[[str], SimpleUploadedFile]
    invalid: dict  # fields that make the form refuse the submission
    rate: int  # submissions one client may make before the 429
    filed: Callable[[], int]
    filed_files: Callable[[], int]


def complaints_form(org) -> Form:
    from complaints.demo import ensure_categories
    from complaints.models import Complaint, ComplaintPhoto
    from tests.complaints.factories import jpeg_bytes
    from tests.complaints.test_views import form_data

    category = ensure_categories(org)["garbage"]
    return Form(url=reverse("complaints:new", args=[org.slug]), data=lambda **extra: form_data(category, **extra),
                text_field="description", max_chars=4000, file_field="photos",
                file=lambda name: SimpleUploadedFile(f"{name}.jpg", jpeg_bytes(size=(640, 480)),
                                                     content_type="image/jpeg"),
                invalid={"contact_phone": "โทรหาผมนะ"}, rate=10,
                filed=Complaint.objects.count, filed_files=ComplaintPhoto.objects.count)


def eservice_form(org) -> Form:
    from eservice.models import RequestDocument, ServiceRequest
    from tests.eservice.factories import service_with_template
    from tests.eservice.test_views import contact, pdf_upload

    service_with_template(org)
    return Form(url=reverse("eservice:form", args=[org.slug, "general-request"]),
                data=lambda **extra: contact(**{"f_subject": "ท่อระบายน้ำ", "f_detail": TEXT, **extra}),
                text_field="f_detail", max_chars=2000, file_field="f_attachment",
                file=lambda name: pdf_upload(f"{name}.pdf"), invalid={"consent": ""}, rate=20,
                filed=ServiceRequest.objects.count, filed_files=RequestDocument.objects.count)


FORMS = [pytest.param(complaints_form, id="complaints"), pytest.param(eservice_form, id="eservice")]


def _kept(page: str, field: str) -> list[str]:
    return re.findall(rf'name="{field}__kept" value="([^"]+)"', page)


@pytest.mark.parametrize("make_form", FORMS)
def test_an_error_keeps_text_and_files_for_this_browser_only(client, org, make_form):
    form = make_form(org)
    first = client.post(form.url, form.data(**{form.text_field: TEXT, **form.invalid,
                                               form.file_field: [form.file("แผนที่"), form.file("ภาพ")]}))
    page = first.content.decode()
    assert first.status_code == 400 and TEXT in page and "แผนที่" in page and "ภาพ" in page
    tokens = _kept(page, form.file_field)
    assert len(tokens) == 2 and form.filed() == 0
    again = form.data(**{form.text_field: TEXT, f"{form.file_field}__kept": tokens})
    assert Client().post(form.url, again).status_code == 302  # another browser: filed, without these files
    assert form.filed_files() == 0
    assert client.post(form.url, again).status_code == 302
    assert form.filed() == 2 and form.filed_files() == 2
    assert tempuploads.sweep(max_age=0) == 0  # used: the temporary copies are gone


@pytest.mark.parametrize("make_form", FORMS)
def test_a_rate_limited_form_keeps_text_and_files(client, org, settings, make_form):
    form = make_form(org)
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    for _ in range(form.rate):
        assert client.post(form.url, form.data()).status_code == 302
    refused = client.post(form.url, form.data(**{form.text_field: TEXT, form.file_field: [form.file("คำร้อง")]}))
    page = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"]
    assert TEXT in page and "คำร้อง" in page and len(_kept(page, form.file_field)) == 1
    cache.clear()


@pytest.mark.parametrize("make_form", FORMS)
def test_a_long_text_is_counted_and_kept_not_cut(client, org, make_form):
    form = make_form(org)
    textarea = re.search(rf'<textarea[^>]*name="{form.text_field}"[^>]*>', client.get(form.url).content.decode())
    assert f'data-maxlength="{form.max_chars}"' in textarea.group(0) and " maxlength=" not in textarea.group(0)
    long_text = "ก" * (form.max_chars + 1)
    response = client.post(form.url, form.data(**{form.text_field: long_text}))
    page = response.content.decode()
    assert response.status_code == 400 and long_text in page and str(form.max_chars) in page
    assert form.filed() == 0

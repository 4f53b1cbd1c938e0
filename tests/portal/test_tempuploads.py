"""Files kept across form errors (portal.inputs.tempuploads, portal.inputs.forms.KeptFilesField): bound to the session, private,
checked before they are kept, and gone after the maximum age."""

import os
import time
from pathlib import Path

import pytest
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from portal.inputs import tempuploads
from portal.inputs.forms import KeepInputMixin, KeptFilesField
from portal.inputs.uploads import DOCUMENT_TYPES, check_file, check_photo
from tests.complaints.factories import jpeg_bytes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


def _request(session=None):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    request.session = session if session is not None else SessionStore()
    return request


def _photo(name="ภาพถนน.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(size=(800, 600), **kwargs), content_type="image/jpeg")


class PhotoForm(KeepInputMixin, forms.Form):
    note = forms.CharField(max_length=20, widget=forms.Textarea)
    photos = KeptFilesField(purpose="test.photos", check=check_photo, max_files=2, images=True, required=True)


def _multi(values):
    if isinstance(values, MultiValueDict):
        return values
    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in (values or {}).items()})


def _post(request, data=None, files=None):
    return PhotoForm(_multi(data or {"note": "ok"}), _multi(files), request=request)


def test_stash_is_private_bound_to_the_session_and_thumbnailed(settings):
    request = _request()
    kept = tempuploads.stash(request, check_photo(_photo(exif_gps=True)), purpose="test.photos")
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    stored = Path(tempuploads.private_storage.path(kept.path)).resolve()
    assert stored.is_relative_to(private_root) and not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert kept.is_image and kept.name == "ภาพถนน.jpg" and b"GPS" not in kept.data  # the re-encoded copy
    assert tempuploads.find(request, kept.token, purpose="test.photos") == kept
    assert tempuploads.find(request, kept.token, purpose="other.field") is None
    assert tempuploads.find(_request(), kept.token) is None  # another session knows nothing of it
    tempuploads.discard(request, [kept.token])
    assert tempuploads.find(request, kept.token) is None and not stored.exists()


def test_thumbnail_served_to_the_same_session_only(client):
    page = client.get("/")  # a session
    assert page.status_code in (200, 302)
    session = client.session
    request = _request(session)
    kept = tempuploads.stash(request, check_photo(_photo()), purpose="test.photos")
    session.save()
    url = reverse("kept-upload", args=[kept.token])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store" and "inline" in response["Content-Disposition"]
    assert Client().get(url).status_code == 404
    forged = ("y" if kept.token[0] == "x" else "x") + kept.token[1:]  # differs from the real one every time
    assert client.get(reverse("kept-upload", args=[forged])).status_code == 404
    assert not url.startswith(tempuploads.settings.MEDIA_URL)


def test_content_checks_run_before_anything_is_kept():
    request = _request()
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 a program, not a photo")
    form = _post(request, files={"photos": [fake, _photo("ดี.jpg")]})
    assert not form.is_valid()
    assert "photo.jpg" in form.errors["photos"][0]
    form["photos"].as_widget()  # shown again: the good photo is kept, the fake one is not
    table = request.session[tempuploads.SESSION_KEY]
    assert [row["n"] for row in table.values()] == ["ดี.jpg"]


def test_error_then_resubmit_without_choosing_again():
    request = _request()
    first = _post(request, data={"note": "x" * 25}, files={"photos": [_photo()]})
    assert not first.is_valid() and "note" in first.errors
    html = str(first["photos"])
    token = next(iter(request.session[tempuploads.SESSION_KEY]))
    assert f'value="{token}"' in html and reverse("kept-upload", args=[token]) in html
    second = _post(request, data=MultiValueDict({"note": ["ok"], "photos__kept": [token]}))
    assert second.is_valid(), second.errors
    assert [c.mime for c in second.cleaned_data["photos"]] == ["image/jpeg"]
    second.release_uploads()
    assert tempuploads.find(request, token) is None
    # The same token in another session: nothing there, the required photo is missing.
    other = _post(_request(), data=MultiValueDict({"note": ["ok"], "photos__kept": [token]}))
    assert not other.is_valid() and "photos" in other.errors


def test_remove_and_count_limits_include_kept_files():
    request = _request()
    first = _post(request, data={"note": "x" * 25}, files={"photos": [_photo("a.jpg"), _photo("b.jpg")]})
    assert not first.is_valid()
    str(first["photos"])
    a, b = list(request.session[tempuploads.SESSION_KEY])
    # Two kept and one more chosen: over the limit of two.
    over = _post(request, data=MultiValueDict({"note": ["ok"], "photos__kept": [a, b]}),
                 files={"photos": [_photo("c.jpg")]})
    assert not over.is_valid() and "2" in over.errors["photos"][0]
    # The citizen removes one and adds another.
    swap = _post(request, data=MultiValueDict({"note": ["ok"], "photos__kept": [a, b], "photos__drop": [a]}),
                 files={"photos": [_photo("c.jpg")]})
    assert swap.is_valid(), swap.errors
    assert sorted(c.name for c in swap.cleaned_data["photos"]) == ["b.jpg", "c.jpg"]
    assert tempuploads.find(request, a) is None


def test_documents_checked_by_content_too():
    class DocForm(KeepInputMixin, forms.Form):
        doc = KeptFilesField(purpose="test.doc", check=lambda u: check_file(u, allowed=DOCUMENT_TYPES))

    request = _request()
    bad = DocForm(MultiValueDict({}), MultiValueDict({"doc": [SimpleUploadedFile("a.pdf", b"<script>")]}),
                  request=request)
    assert not bad.is_valid() and "ชนิดไฟล์ไม่รองรับ" in bad.errors["doc"][0]
    good = DocForm(MultiValueDict({}), MultiValueDict({"doc": [SimpleUploadedFile("a.pdf", PDF)]}), request=request)
    assert good.is_valid() and good.cleaned_data["doc"][0].mime == "application/pdf"


def test_expired_files_are_refused_and_swept(settings, monkeypatch):
    request = _request()
    old = tempuploads.stash(request, check_file(SimpleUploadedFile("old.pdf", PDF), allowed=DOCUMENT_TYPES),
                            purpose="t")
    fresh = tempuploads.stash(request, check_photo(_photo()), purpose="t")
    day_ago = time.time() - 25 * 3600
    os.utime(tempuploads.private_storage.path(old.path), (day_ago, day_ago))
    legacy = tempuploads.private_storage.save("eservice/tmp/2026/old.pdf", SimpleUploadedFile("x", PDF))
    os.utime(tempuploads.private_storage.path(legacy), (day_ago, day_ago))
    assert tempuploads.sweep() == 2
    assert not tempuploads.private_storage.exists(old.path) and not tempuploads.private_storage.exists(legacy)
    assert tempuploads.find(request, old.token) is None
    assert tempuploads.find(request, fresh.token) is not None
    # Past the maximum age a kept file is refused even before the sweep ran.
    monkeypatch.setattr(tempuploads.time, "time", lambda: fresh.created + 24 * 3600 + 1)
    assert tempuploads.find(request, fresh.token) is None


def test_sweep_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portal.tempuploads.sweep_kept_uploads" in tasks
    assert tempuploads.sweep_kept_uploads.name == "portal.tempuploads.sweep_kept_uploads"


def test_a_client_cannot_fill_the_disk(settings):
    settings.TEMP_UPLOAD_RATE = "2/h"
    settings.RATELIMIT_ENABLE = True
    request = _request()
    form = _post(request, data={"note": "x" * 25}, files={"photos": [_photo("a.jpg"), _photo("b.jpg")]})
    assert not form.is_valid()
    str(form["photos"])
    again = _post(_request(), data={"note": "x" * 25}, files={"photos": [_photo("c.jpg")]})
    assert not again.is_valid()
    html = str(again["photos"])
    assert 'class="kept-lost"' in html and "c.jpg" in html  # said plainly: this one could not be kept
    assert "photos__kept" not in html


def test_long_text_is_counted_not_cut():
    form = _post(_request(), data={"note": "ก" * 21})
    widget_html = str(form["note"])
    assert " maxlength=" not in widget_html and 'data-maxlength="20"' in widget_html
    assert not form.is_valid()
    assert "21" in form.errors["note"][0] and "20" in form.errors["note"][0]
    assert "ก" * 21 in str(form["note"])  # the text is still there


def test_without_a_request_only_new_files_count():
    form = PhotoForm(MultiValueDict({"note": ["ok"], "photos__kept": ["anything"]}), MultiValueDict({}))
    assert not form.is_valid() and "photos" in form.errors
    with pytest.raises(ValidationError):
        form.fields["photos"].clean({"new": [], "kept": ["anything"], "drop": []})


def test_new_files_together_are_bounded_before_any_is_decoded(settings, monkeypatch):
    import portal.inputs.uploads

    decoded = []
    real = portal.inputs.uploads.check_image
    monkeypatch.setattr("portal.inputs.uploads.check_image", lambda *a, **k: decoded.append(1) or real(*a, **k))
    request = _request()
    settings.UPLOAD_MAX_TOTAL_PIXELS = 900_000  # two 800×600 photos declare 960,000
    form = _post(request, files={"photos": [_photo("a.jpg"), _photo("b.jpg")]})
    assert not form.is_valid() and "ล้านพิกเซล" in form.errors["photos"][0]
    settings.UPLOAD_MAX_TOTAL_PIXELS = 150_000_000
    settings.UPLOAD_MAX_TOTAL_BYTES = 1000
    form = _post(request, files={"photos": [_photo("a.jpg")]})
    assert not form.is_valid() and "ใหญ่เกิน" in form.errors["photos"][0]
    assert decoded == []
    str(form["photos"])
    assert not request.session.get(tempuploads.SESSION_KEY)

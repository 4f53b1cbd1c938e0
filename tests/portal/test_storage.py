"""Files on S3-compatible object storage (portal.outputs.s3), as the settings build it from the environment: public
media in a bucket anyone reads, private files in a bucket nobody reads without the portal's permission check, and
the local folders unchanged when no bucket is named. The endpoint is moto's server mode on 127.0.0.1."""

import runpy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory, override_settings
from django.utils.encoding import filepath_to_uri

from portal.inputs import tempuploads
from portal.models import BackgroundJob
from portal.outputs.files import private_storage, serve_private
from tests.complaints.factories import jpeg_bytes
from tests.portal.s3 import S3Server

# The storage's answers do not depend on the database engine: one stage runs this module (tests/conftest.py).
pytestmark = pytest.mark.once

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "portal" / "settings.py"
STORAGE_VARIABLES = ("AWS_STORAGE_BUCKET_NAME", "AWS_PRIVATE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME",
                     "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_S3_ADDRESSING_STYLE", "MEDIA_URL",
                     "PRIVATE_FILES_SERVE", "PRIVATE_FILES_URL_SECONDS")


def _portal_settings(monkeypatch, **variables) -> dict:
    """portal/settings.py run afresh with these variables (and no other storage variable) in the environment."""
    for name in STORAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture(scope="module")
def s3():
    """An endpoint with a pair of buckets, and this process's settings switched to them as portal/settings.py
    builds them from the environment (for the whole module: the storages keep their S3 connections)."""
    server = S3Server().start()
    server.public, server.private = server.make_buckets()
    with pytest.MonkeyPatch.context() as monkeypatch:
        server.settings = _portal_settings(monkeypatch, **server.environment(server.public, server.private))
    overrides = override_settings(**{name: value for name, value in server.settings.items()
                                     if name in ("STORAGES", "MEDIA_URL") or name.startswith(("AWS_", "PRIVATE_FILES_"))})
    overrides.enable()
    try:
        yield server
    finally:
        overrides.disable()
        server.stop()


def test_embedded_default_keeps_files_in_local_folders(monkeypatch):
    built = _portal_settings(monkeypatch)
    assert built["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert built["STORAGES"]["private"]["BACKEND"] == "portal.outputs.files.LocalPrivateStorage"
    assert built["MEDIA_URL"] == "/media/" and built["PRIVATE_FILES_SERVE"] == "django"


@pytest.mark.parametrize("variables,message", [
    ({"AWS_STORAGE_BUCKET_NAME": "pub"}, "both AWS_STORAGE_BUCKET_NAME"),
    ({"AWS_PRIVATE_BUCKET_NAME": "priv"}, "both AWS_STORAGE_BUCKET_NAME"),
    ({"AWS_STORAGE_BUCKET_NAME": "files", "AWS_PRIVATE_BUCKET_NAME": "files"}, "a bucket of its own"),
    ({"AWS_STORAGE_BUCKET_NAME": "pub", "AWS_PRIVATE_BUCKET_NAME": "priv", "PRIVATE_FILES_SERVE": "x-sendfile"},
     "with the private bucket use one of django, redirect"),
    ({"PRIVATE_FILES_SERVE": "redirect"}, "with the local folder use one of django, x-accel, x-sendfile"),
])
def test_settings_refuse_what_would_expose_or_lose_files(monkeypatch, variables, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        _portal_settings(monkeypatch, **variables)


@pytest.mark.django_db
def test_private_file_is_in_the_private_bucket_and_its_plain_address_gives_nothing(s3):
    job = BackgroundJob.objects.create(kind="x.y")
    job.result.save("รายงาน.xlsx", ContentFile(b"secret report"))
    assert job.result.name in s3.keys(s3.private) and job.result.name not in s3.keys(s3.public)
    assert private_storage.open(job.result.name).read() == b"secret report"
    with pytest.raises(ValueError):
        _ = job.result.url
    # Whoever learns the object's name gets nothing from the store without the portal's check.
    for address in (f"{s3.endpoint}/{s3.private}/{job.result.name}", f"{s3.endpoint}/{s3.public}/{job.result.name}"):
        response = requests.get(address, timeout=10)
        assert response.status_code in (403, 404) and b"secret report" not in response.content


@pytest.mark.django_db
def test_checked_view_streams_the_private_file_from_the_bucket(s3):
    job = BackgroundJob.objects.create(kind="x.y")
    job.result.save("r.pdf", ContentFile(b"%PDF-1.4 evidence"))
    response = serve_private(RequestFactory().get("/"), job.result, filename="หลักฐาน.pdf", as_attachment=False)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_redirect_mode_sends_a_presigned_url_that_expires_within_a_minute(s3, settings, monkeypatch):
    settings.PRIVATE_FILES_SERVE = "redirect"
    job = BackgroundJob.objects.create(kind="x.y")
    job.result.save("r.html", ContentFile(b"<script>alert(1)</script>"))
    response = serve_private(RequestFactory().get("/"), job.result, as_attachment=False)
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert location.startswith(f"{s3.endpoint}/{s3.private}/{job.result.name}?")
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]
    # What the bucket answers with: downloaded, never shown inline (HTML), never cached.
    assert query["response-content-disposition"][0].startswith("attachment")
    assert query["response-cache-control"] == ["private, no-store"]
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200 and fetched.content == b"<script>alert(1)</script>"
    assert fetched.headers["Content-Disposition"].startswith("attachment")
    # Inline private images come from the endpoint: the page's Content-Security-Policy allows it then only.
    built = _portal_settings(monkeypatch, **{**s3.environment(s3.public, s3.private), "MEDIA_URL": "/media/",
                                             "PRIVATE_FILES_SERVE": "redirect"})
    assert s3.endpoint in built["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]


@pytest.mark.django_db
def test_public_media_in_the_public_bucket_read_at_media_url(s3, org, settings):
    org.logo.save("ตรา.jpg", ContentFile(jpeg_bytes()))
    assert org.logo.name in s3.keys(s3.public) and org.logo.name not in s3.keys(s3.private)
    assert org.logo.url == f"{s3.endpoint}/{s3.public}/{filepath_to_uri(org.logo.name)}"  # the bucket's address
    response = requests.get(org.logo.url, timeout=10)
    assert response.status_code == 200 and response.content == jpeg_bytes()
    settings.MEDIA_URL = "/media/"  # behind the proxy that passes /media/ to the bucket
    assert org.logo.url == f"/media/{filepath_to_uri(org.logo.name)}"
    assert s3.endpoint in s3.settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]


@pytest.mark.django_db
def test_kept_uploads_in_the_bucket_are_swept_after_their_age(s3):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    request.session = SessionStore()
    kept = tempuploads.stash(request, tempuploads.CheckedFile(data=b"%PDF-1.4 x", mime="application/pdf",
                                                              extension="pdf", name="a.pdf"), purpose="t")
    other = private_storage.save("complaints/evidence/2026/keep.jpg", ContentFile(b"x"))
    assert tempuploads.find(request, kept.token) == kept
    assert tempuploads.sweep(max_age=3600) == 0  # still young
    assert tempuploads.sweep(max_age=-60) == 1  # "older than a minute from now": everything kept so far
    assert tempuploads.find(request, kept.token) is None
    left = s3.keys(s3.private)
    assert other in left and not any(key.startswith("tmp-uploads/") for key in left)  # only temporary uploads go


@pytest.mark.django_db
def test_healthz_heads_both_buckets_and_writes_nothing(s3):
    before = (sorted(s3.keys(s3.public)), sorted(s3.keys(s3.private)))
    files = Client().get("/healthz").json()["checks"]["files"]
    assert files["status"] == "ok"
    assert (sorted(s3.keys(s3.public)), sorted(s3.keys(s3.private))) == before
    # a bucket that is gone (or refuses the portal's key): down, and the portal degraded
    broken = {**s3.settings["STORAGES"], "private": {**s3.settings["STORAGES"]["private"],
                                                      "OPTIONS": {**s3.settings["STORAGES"]["private"]["OPTIONS"],
                                                                  "bucket_name": "no-such"}}}
    with override_settings(STORAGES=broken):
        response = Client().get("/healthz?strict=1")
    assert response.status_code == 503 and response.json()["checks"]["files"]["status"] == "down"

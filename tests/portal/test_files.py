import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory

from portal.models import BackgroundJob
from portal.outputs.files import private_storage, private_upload_to, serve_private


@pytest.mark.django_db
def test_private_storage_lives_outside_media_and_has_no_url(settings, tmp_path):
    job = BackgroundJob.objects.create(kind="x.y")
    job.result.save("plan-report-khamyai-1-2568.xlsx", ContentFile(b"data"))
    path = job.result.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "khamyai" not in job.result.name  # the name is random
    with pytest.raises(ValueError):
        _ = job.result.url


def test_upload_to_is_random_and_keeps_only_the_extension():
    upload_to = private_upload_to("complaints/evidence")
    first, second = upload_to(None, "บัตรประชาชน.JPG"), upload_to(None, "บัตรประชาชน.JPG")
    assert first != second
    assert first.startswith("complaints/evidence/") and first.endswith(".jpg")
    assert "บัตร" not in first
    assert upload_to(None, "noext").endswith(".bin")
    assert upload_to.deconstruct()[1] == ("complaints/evidence",)


@pytest.mark.django_db
@pytest.mark.parametrize("mode,header", [("x-accel", "X-Accel-Redirect"), ("x-sendfile", "X-Sendfile")])
def test_serve_private_modes(settings, mode, header):
    settings.PRIVATE_FILES_SERVE = mode
    job = BackgroundJob.objects.create(kind="x.y")
    job.result.save("r.xlsx", ContentFile(b"data"))
    response = serve_private(RequestFactory().get("/"), job.result, filename="รายงาน.xlsx")
    assert job.result.name in response[header]
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content == b""


@pytest.mark.django_db
def test_serve_private_streams_with_django_and_never_inlines_html(settings):
    job = BackgroundJob.objects.create(kind="x.y")
    job.result.save("r.html", ContentFile(b"<script>alert(1)</script>"))
    response = serve_private(RequestFactory().get("/"), job.result, as_attachment=False)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def test_serve_private_refuses_public_storage():
    from django.db.models.fields.files import FieldFile

    class Dummy:
        pass

    field = FieldFile(Dummy(), BackgroundJob._meta.get_field("result"), "x")
    field.storage = __import__("django.core.files.storage", fromlist=["default_storage"]).default_storage
    with pytest.raises(ValueError):
        serve_private(RequestFactory().get("/"), field)
    assert private_storage.base_url is None


@pytest.mark.django_db
def test_media_url_does_not_serve_private_files(client, settings):
    job = BackgroundJob.objects.create(kind="x.y")
    job.result.save("r.xlsx", ContentFile(b"data"))
    assert client.get("/media/" + job.result.name).status_code == 404

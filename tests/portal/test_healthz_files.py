"""/healthz checks the file store too (local folders here; the buckets in test_storage.py), and writes nothing."""

import os

import pytest
from django.test import Client


def _files(client=None):
    response = (client or Client()).get("/healthz")
    return response, response.json()["checks"]["files"]


@pytest.mark.django_db
def test_local_folders_that_can_be_written_are_ok(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # not made yet: the first upload makes it
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    (tmp_path / "private").mkdir()
    response, files = _files()
    assert response.status_code == 200 and files["status"] == "local"
    assert response.json()["status"] == "ok"
    assert sorted(os.listdir(tmp_path)) == ["private"] and os.listdir(tmp_path / "private") == []  # nothing written


@pytest.mark.django_db
@pytest.mark.parametrize("broken", ["MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"])
def test_a_folder_that_cannot_be_made_is_down_and_the_portal_degraded(settings, tmp_path, broken):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    setattr(settings, broken, str(blocker / "files"))
    response, files = _files()
    assert files["status"] == "down" and files["error"] == "NotADirectoryError"
    assert response.status_code == 200 and response.json()["status"] == "degraded"
    assert Client().get("/healthz?strict=1").status_code == 503

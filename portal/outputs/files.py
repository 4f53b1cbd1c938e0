"""Private files: stored under settings.PRIVATE_MEDIA_ROOT (outside MEDIA_ROOT), with no URL of their own.

A model declares `models.FileField(storage=private_storage, upload_to=private_upload_to("complaints/evidence"))`;
a view that has checked the user's permission on the row answers with `serve_private(request, row.file)`.
Names are random (`<prefix>/<yyyy>/<uuid4hex>.<ext>`), so neither the name nor the order of uploads tells anything.
"""

import mimetypes
import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from portal.outputs.exports import _content_disposition


@deconstructible
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage at settings.PRIVATE_MEDIA_ROOT (read on every use, so tests can move it)."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no URL; serve them with portal.outputs.files.serve_private")


private_storage = PrivateStorage()


@deconstructible
class private_upload_to:  # noqa: N801 (used like a function: upload_to=private_upload_to("prefix"))
    """upload_to for private files: `<prefix>/<yyyy>/<uuid4hex>.<ext>`; the sender's name is never kept."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename):
        extension = os.path.splitext(filename or "")[1].lower().lstrip(".")
        extension = "".join(ch for ch in extension if ch.isalnum())[:8] or "bin"
        return f"{self.prefix}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, private_upload_to) and other.prefix == self.prefix


def _safe_inline(content_type: str) -> bool:
    return content_type in ("image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf")


def serve_private(request, fieldfile, *, filename: str | None = None, as_attachment: bool = True) -> HttpResponse:
    """Answer with a private file. The CALLER checks permission first. settings.PRIVATE_FILES_SERVE chooses how
    the bytes go out: "django" (streamed by Django), "x-accel" (nginx internal location) or "x-sendfile"."""
    if not fieldfile or not fieldfile.name:
        raise Http404
    storage = fieldfile.storage
    if not isinstance(storage, PrivateStorage):
        raise ValueError("serve_private serves files from private storage only")
    name = fieldfile.name
    if not storage.exists(name):
        raise Http404
    filename = filename or os.path.basename(name)
    content_type = mimetypes.guess_type(filename)[0] or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if not as_attachment and not _safe_inline(content_type):
        as_attachment = True  # anything a browser could run is downloaded, never shown inline
    mode = getattr(settings, "PRIVATE_FILES_SERVE", "django")
    if mode == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_FILES_INTERNAL_URL.rstrip("/") + "/" + name
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = storage.path(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    disposition = _content_disposition(filename)
    response["Content-Disposition"] = disposition if as_attachment else disposition.replace("attachment", "inline", 1)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def move_to_private(apps, model_label: str, field: str, prefix: str, queryset_filter=None, to_field=None) -> int:
    """Data-migration helper: move the files of `model_label.field` from public MEDIA_ROOT into private storage
    under fresh random names (an old, guessable public name must not keep working); `to_field` when the private
    file goes into another field (the public one is then emptied)."""
    from django.core.files.storage import FileSystemStorage

    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    model = apps.get_model(model_label)
    rows = model._default_manager.exclude(**{field: ""})
    if queryset_filter:
        rows = rows.filter(**queryset_filter)
    upload_to = private_upload_to(prefix)
    moved = 0
    for row in rows.iterator():
        name = getattr(row, field).name
        if not name or not public.exists(name):
            continue
        with public.open(name, "rb") as handle:
            new_name = private_storage.save(upload_to(row, name), handle)
        public.delete(name)
        if to_field:
            model._default_manager.filter(pk=row.pk).update(**{field: "", to_field: new_name})
        else:
            model._default_manager.filter(pk=row.pk).update(**{field: new_name})
        moved += 1
    return moved

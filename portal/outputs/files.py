"""Private files: no URL of their own; served only by permission-checked views.

A model declares `models.FileField(storage=private_storage, upload_to=private_upload_to("complaints/evidence"))`;
a view that has checked the user's permission on the row answers with `serve_private(request, row.file)`.
Names are random (`<prefix>/<yyyy>/<uuid4hex>.<ext>`), so neither the name nor the order of uploads tells anything.

Where the bytes live is the "private" entry of settings.STORAGES: a folder at settings.PRIVATE_MEDIA_ROOT, outside
MEDIA_ROOT (`LocalPrivateStorage`, the embedded default), or a private S3-compatible bucket
(`portal.outputs.s3.PrivateS3Storage`, when AWS_PRIVATE_BUCKET_NAME is set), so every web node and worker reads
the same files. `private_storage` hands each call to that backend; models and migrations name only it.
"""

import mimetypes
import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, InvalidStorageError, Storage, storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from portal.outputs.exports import _content_disposition


class LocalPrivateStorage(FileSystemStorage):
    """FileSystemStorage at settings.PRIVATE_MEDIA_ROOT (read on every use, so tests can move it)."""

    def __init__(self, **_options):
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

    def delete_older_than(self, root: str, cutoff: float) -> int:
        """Delete the files under `root` last modified before `cutoff` (a Unix time); how many went."""
        base = self.path(root)
        removed = 0
        if not os.path.isdir(base):
            return 0
        for directory, _dirs, names in os.walk(base):
            for name in names:
                full = os.path.join(directory, name)
                try:
                    if os.path.getmtime(full) < cutoff:
                        os.remove(full)
                        removed += 1
                except FileNotFoundError:
                    continue
        return removed


_local_private = LocalPrivateStorage()


def private_backend() -> Storage:
    """The storage that holds private files now: settings.STORAGES["private"], else the local folder."""
    try:
        return storages["private"]
    except InvalidStorageError:
        return _local_private


@deconstructible(path="portal.outputs.files.PrivateStorage")
class PrivateStorage(Storage):
    """The private files' storage as models name it: every call goes to `private_backend()`, chosen by settings
    at the time of the call (a migration or a model field never names the backend, so moving the files to a
    bucket needs no migration)."""

    base_url = None

    def __init__(self):
        pass

    @property
    def backend(self) -> Storage:
        return private_backend()

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend.get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def path(self, name):
        return self.backend.path(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def url(self, name):
        raise ValueError("private files have no URL; serve them with portal.outputs.files.serve_private")

    def signed_url(self, name, *, seconds: int, response_headers: dict) -> str | None:
        """A URL good for `seconds` that the object store itself checks (S3 presigned GET), or None when the
        backend has no such thing (the local folder)."""
        signer = getattr(self.backend, "signed_url", None)
        return signer(name, seconds=seconds, response_headers=response_headers) if signer else None

    def delete_older_than(self, root: str, cutoff: float) -> int:
        return self.backend.delete_older_than(root, cutoff)


private_storage = PrivateStorage()


def delete_private_older_than(root: str, cutoff: float) -> int:
    """Delete the private files under `root` last modified before `cutoff` (a Unix time), wherever they are
    stored; how many went."""
    return private_storage.delete_older_than(root.strip("/"), cutoff)


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
    the bytes go out: "django" (streamed by Django, from the folder or the bucket), "redirect" (a 302 to a signed
    URL of the bucket that expires after PRIVATE_FILES_URL_SECONDS), "x-accel" (nginx internal location) or
    "x-sendfile" (the last two: local folder only)."""
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
    disposition = _content_disposition(filename)
    if not as_attachment:
        disposition = disposition.replace("attachment", "inline", 1)
    mode = getattr(settings, "PRIVATE_FILES_SERVE", "django")
    signed = None
    if mode == "redirect":
        # The bucket answers the signed URL with these headers, so the browser treats the file as it would here.
        signed = storage.signed_url(name, seconds=int(getattr(settings, "PRIVATE_FILES_URL_SECONDS", 60)),
                                    response_headers={"ResponseContentType": content_type,
                                                      "ResponseContentDisposition": disposition,
                                                      "ResponseCacheControl": "private, no-store"})
    if signed:
        response = HttpResponseRedirect(signed)
    elif mode == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_FILES_INTERNAL_URL.rstrip("/") + "/" + name
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = storage.path(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
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

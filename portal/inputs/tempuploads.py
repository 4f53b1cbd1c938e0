"""Uploads kept across form errors: a file that passed its checks waits in private storage, tied to the session.

A browser never sends a chosen file again after the page comes back with an error, so the form keeps what it
received (as Open Forms does with its temporary uploads):

    kept = tempuploads.stash(request, checked, purpose="complaints.photos")   # after the file's own checks
    kept.token                                                                # goes into a hidden input
    tempuploads.find(request, token, purpose="complaints.photos")            # None for another session's token

- The bytes go to private storage under `tmp-uploads/` (never under MEDIA_ROOT, no URL of their own); images get
  a small thumbnail beside them, served by `serve_thumbnail` to the same session only.
- What was kept is recorded in the session itself ({token: metadata}), so a token is worth nothing in another
  session: there is nothing to look it up in.
- Files older than settings.TEMP_UPLOAD_MAX_AGE_HOURS (24 by default) are refused and deleted by `sweep`
  (Celery beat, hourly). A client may stash at most TEMP_UPLOAD_RATE files (per address), so forms sent back
  with errors on purpose cannot fill the disk.

Form side: portal.inputs.forms.KeptFilesField / KeepUploadsMixin.
"""

import secrets
import time
from dataclasses import dataclass
from functools import cached_property

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import Http404
from django.views.decorators.http import require_GET

from portal.inputs.uploads import IMAGE_TYPES, CheckedFile
from portal.outputs.files import (
    PrivateStorage,
    delete_private_older_than,
    private_storage,
    private_upload_to,
    serve_private,
)

SESSION_KEY = "_kept_uploads"
ROOT = "tmp-uploads"
# Where temporary uploads lived before this module; swept the same way until they are gone.
LEGACY_ROOTS = ("eservice/tmp",)
MAX_PER_SESSION = 40
THUMB_SIDE = 240
TOKEN_BYTES = 24


def max_age_seconds() -> int:
    return int(getattr(settings, "TEMP_UPLOAD_MAX_AGE_HOURS", 24) * 3600)


def stash_rate() -> str:
    return getattr(settings, "TEMP_UPLOAD_RATE", "120/h")


@dataclass(frozen=True)
class Kept:
    """A file waiting in temporary storage for the form that received it."""

    token: str
    path: str
    name: str  # the sender's file name, cleaned (display only)
    mime: str
    extension: str
    size: int
    purpose: str
    created: float
    thumb: str = ""

    @property
    def is_image(self) -> bool:
        return bool(self.thumb)

    @cached_property
    def data(self) -> bytes:
        with private_storage.open(self.path, "rb") as handle:
            return handle.read()

    def checked(self) -> CheckedFile:
        """The file as the upload checks returned it (they ran when it was stashed)."""
        return CheckedFile(data=self.data, mime=self.mime, extension=self.extension, name=self.name)

    def as_dict(self) -> dict:
        return {"p": self.path, "n": self.name, "m": self.mime, "e": self.extension, "s": self.size,
                "u": self.purpose, "c": self.created, "t": self.thumb}

    @classmethod
    def from_dict(cls, token: str, row: dict) -> "Kept":
        return cls(token=token, path=row["p"], name=row["n"], mime=row["m"], extension=row["e"], size=row["s"],
                   purpose=row["u"], created=row["c"], thumb=row.get("t", ""))


def _table(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _thumbnail(data: bytes) -> bytes | None:
    from portal.inputs.uploads import clean_image_bytes

    try:
        return clean_image_bytes(data, max_side=THUMB_SIDE).read()
    except Exception:  # a thumbnail is a convenience: the name is shown instead
        return None


def _allowed_by_rate(request) -> bool:
    from portal.inputs.ratelimit import hit

    return hit(request, group="kept-uploads", rate=stash_rate())


def stash(request, checked: CheckedFile, *, purpose: str) -> Kept | None:
    """Keep a file that passed its checks; None when this client has kept too many files lately."""
    if not _allowed_by_rate(request):
        return None
    upload_to = private_upload_to(ROOT)
    path = private_storage.save(upload_to(None, f"f.{checked.extension}"), ContentFile(checked.data))
    thumb = ""
    if checked.mime in IMAGE_TYPES:
        small = _thumbnail(checked.data)
        if small:
            thumb = private_storage.save(upload_to(None, "t.jpg"), ContentFile(small))
    kept = Kept(token=secrets.token_urlsafe(TOKEN_BYTES), path=path, name=checked.name, mime=checked.mime,
                extension=checked.extension, size=len(checked.data), purpose=purpose, created=time.time(),
                thumb=thumb)
    table = dict(_table(request))
    table[kept.token] = kept.as_dict()
    if len(table) > MAX_PER_SESSION:  # the oldest go first
        for token in sorted(table, key=lambda t: table[t]["c"])[: len(table) - MAX_PER_SESSION]:
            _delete_files(table.pop(token))
    request.session[SESSION_KEY] = table
    return kept


def find(request, token: str, *, purpose: str | None = None) -> Kept | None:
    """This session's kept file for `token` (and `purpose`), unless it expired or its bytes are gone."""
    row = _table(request).get(str(token or ""))
    if row is None:
        return None
    kept = Kept.from_dict(token, row)
    if purpose is not None and kept.purpose != purpose:
        return None
    if time.time() - kept.created > max_age_seconds() or not private_storage.exists(kept.path):
        return None
    return kept


def _delete_files(row: dict) -> None:
    for path in (row.get("p"), row.get("t")):
        if path:
            private_storage.delete(path)


def discard(request, tokens) -> None:
    """Forget these kept files and delete their bytes (removed by the citizen, or used by a saved form)."""
    table = dict(_table(request))
    changed = False
    for token in tokens:
        row = table.pop(str(token), None)
        if row is not None:
            _delete_files(row)
            changed = True
    if changed:
        request.session[SESSION_KEY] = table


def sweep(*, max_age: int | None = None) -> int:
    """Delete temporary files older than the maximum age (their session entries then find nothing), in the local
    folder or the private bucket alike."""
    limit = time.time() - (max_age_seconds() if max_age is None else max_age)
    return sum(delete_private_older_than(root, limit) for root in (ROOT, *LEGACY_ROOTS))


@shared_task(name="portal.tempuploads.sweep_kept_uploads")
def sweep_kept_uploads() -> int:
    return sweep()


class _Stored:
    """What serve_private needs of a FieldFile."""

    storage: PrivateStorage = private_storage

    def __init__(self, name: str):
        self.name = name

    def __bool__(self):
        return bool(self.name)


@require_GET
def serve_thumbnail(request, token: str):
    """A kept image's thumbnail, to the session that sent it; anyone else gets 404."""
    kept = find(request, token)
    if kept is None or not kept.thumb:
        raise Http404
    return serve_private(request, _Stored(kept.thumb), filename="thumbnail.jpg", as_attachment=False)


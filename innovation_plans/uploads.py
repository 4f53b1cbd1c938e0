"""Upload checks: size against settings.UPLOAD_MAX_BYTES and type by content (never by the file name)."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EVIDENCE_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
}
# A plan document: plain text / CSV (no magic number), or Word / Excel (zip containers).
PLAN_BINARY_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",
}


def read_limited(upload) -> bytes:
    """The upload's bytes, refusing anything over the limit before reading it all."""
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_too_big(limit))
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(_too_big(limit))
    if not data:
        raise ValidationError(_("ไฟล์ว่างเปล่า"))
    return data


def _too_big(limit):
    mb = limit / (1024 * 1024)
    return _("ไฟล์ใหญ่เกิน %(mb).0f MB") % {"mb": mb}


def check_evidence(upload) -> str:
    """Returns the detected content type, or raises ValidationError."""
    data = read_limited(upload)
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in EVIDENCE_TYPES:
        raise ValidationError(
            _("ชนิดไฟล์ไม่รองรับ (ตรวจจากเนื้อไฟล์) รองรับ: %(types)s")
            % {"types": ", ".join(EVIDENCE_TYPES.values())})
    if mime.startswith("image/"):
        from io import BytesIO

        from PIL import Image

        try:
            Image.open(BytesIO(data)).verify()
        except Exception as exc:
            raise ValidationError(_("ไฟล์รูปภาพเสียหาย")) from exc
    return mime


def check_plan_document(upload) -> bytes:
    """A plan file: text (any of the encodings the importer reads) or a .docx/.xlsx; other binaries refused."""
    data = read_limited(upload)
    kind = filetype.guess(data)
    if kind is not None and kind.mime not in PLAN_BINARY_TYPES:
        raise ValidationError(
            _("ไฟล์นี้ไม่ใช่เอกสารแผน (พบเป็น %(mime)s) รองรับ: ข้อความ .txt/.md/.csv, Word .docx, Excel .xlsx") % {"mime": kind.mime})
    return data

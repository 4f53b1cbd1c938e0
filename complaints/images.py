"""Photos: checked by content, re-encoded as JPEG; the re-encode drops EXIF, so GPS never reaches a public copy."""

import io
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED = {"image/jpeg", "image/png", "image/webp", "image/gif"}
MAX_SIDE = 2000
MAX_PHOTOS = 5


def read_upload(upload) -> bytes:
    if hasattr(upload, "size") and upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("ไฟล์ภาพใหญ่เกินกำหนด (ไม่เกิน %(mb)s MB) / image too large") % {
            "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}, code="too_large")
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("ไฟล์ภาพใหญ่เกินกำหนด (ไม่เกิน %(mb)s MB) / image too large") % {
            "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}, code="too_large")
    return data


def clean_image(data: bytes) -> ContentFile:
    """Validate image bytes and return a re-encoded JPEG without metadata. Raises ValidationError."""
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationError(_("ไฟล์นี้ไม่ใช่ภาพ (รับ JPEG, PNG, WebP, GIF) / not an image file"), code="not_image")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > 60_000_000:
            raise ValidationError(_("ภาพมีขนาดพิกเซลใหญ่เกินไป / image dimensions too large"), code="too_large")
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("เปิดไฟล์ภาพไม่ได้ / the image could not be read"), code="bad_image") from exc
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif= argument: no metadata is written
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def clean_uploads(uploads) -> list[ContentFile]:
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("แนบภาพได้ไม่เกิน %(n)s ภาพ / at most %(n)s photos") % {"n": MAX_PHOTOS},
                              code="too_many")
    return [clean_image(read_upload(u)) for u in uploads]

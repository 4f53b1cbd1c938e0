"""Upload checks for every app: type by content (never by the name), size before reading it all, images re-encoded.

Images are judged by the dimensions their header declares *before* any pixel is decoded: a 7 KB PNG can declare
60 megapixels and cost hundreds of MB to decode. JPEGs are decoded at a reduced scale (libjpeg's DCT scaling) when
they are larger than the copy we keep, which makes a 12-megapixel phone photo cheap.
"""

import io
import os
import re
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/gif": "GIF"}
DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
}
EXTENSIONS = {
    "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/zip": "zip",
}
# The longest side of the copy we keep of a photo.
MAX_SIDE = 2000


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    mime: str
    extension: str
    name: str  # the sender's file name, cleaned (for display only; storage names are random)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def max_upload_bytes() -> int:
    """The one size limit of an uploaded file, from settings.UPLOAD_MAX_BYTES (read when a file is checked)."""
    return settings.UPLOAD_MAX_BYTES


def too_large_message(limit: int | None = None) -> str:
    return _("ไฟล์ใหญ่เกิน %(mb)s MB") % {"mb": _mb(limit or max_upload_bytes())}


def max_pixels_default() -> int:
    """What phones produce: 12 MP by default, 48-50 MP in their full-resolution modes."""
    return getattr(settings, "UPLOAD_MAX_PIXELS", 50_000_000)


def full_decode_pixels() -> int:
    """PNG, WebP and GIF cannot be decoded at a reduced scale, so their cap is lower (screenshots, scans)."""
    return getattr(settings, "UPLOAD_MAX_PIXELS_FULL_DECODE", 16_000_000)


def read_limited(upload, max_bytes: int | None = None) -> bytes:
    """The upload's bytes, refusing anything over the limit before reading it all."""
    limit = max_bytes or max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(too_large_message(limit), code="too_large")
    if isinstance(upload, (bytes, bytearray)):
        data = bytes(upload)
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
        if hasattr(upload, "seek"):
            upload.seek(0)
    if len(data) > limit:
        raise ValidationError(too_large_message(limit), code="too_large")
    if not data:
        raise ValidationError(_("ไฟล์ว่างเปล่า"), code="empty")
    return data


def _display_name(upload, extension: str) -> str:
    base = os.path.basename((getattr(upload, "name", "") or "").replace("\\", "/"))
    stem = os.path.splitext(base)[0]
    # As django's get_valid_filename, but Thai vowels and tone marks (not \w) stay: "ดี.jpg" is not "ด.jpg".
    stem = re.sub(r"[^\w\u0e00-\u0e7f.-]", "", re.sub(r"\s+", "_", stem.strip())).strip("._")
    return f"{stem[:80] or 'file'}.{extension}"


def _open_image(data: bytes, max_pixels: int):
    """Open (header only) and check the declared dimensions; nothing is decoded yet."""
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("เปิดไฟล์ภาพไม่ได้"), code="bad_image") from exc
    width, height = image.size
    if image.format != "JPEG":
        max_pixels = min(max_pixels, full_decode_pixels())
    if width <= 0 or height <= 0 or width * height > max_pixels:
        raise ValidationError(
            _("ภาพมีขนาด %(w)s×%(h)s พิกเซล ใหญ่เกินกำหนด (ไม่เกิน %(mp)s ล้านพิกเซล)")
            % {"w": width, "h": height, "mp": max_pixels // 1_000_000}, code="too_many_pixels")
    return image


def check_file(upload, *, allowed: dict[str, str], max_bytes: int | None = None,
               max_pixels: int | None = None) -> CheckedFile:
    """Check an uploaded file by its content against `allowed` (mime -> label shown to people).
    Images are also checked for declared dimensions and a readable structure. Raises ValidationError (Thai)."""
    data = read_limited(upload, max_bytes)
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in allowed:
        raise ValidationError(_("ชนิดไฟล์ไม่รองรับ (ตรวจจากเนื้อไฟล์) รองรับ: %(types)s")
                              % {"types": ", ".join(dict.fromkeys(allowed.values()))}, code="bad_type")
    if mime.startswith("image/"):
        try:
            image = _open_image(data, max_pixels or max_pixels_default())
            image.verify()
        except ValidationError as exc:
            if exc.code != "bad_image":
                raise
            raise ValidationError(_("ไฟล์รูปภาพเสียหาย"), code="bad_image") from exc
        except Exception as exc:
            raise ValidationError(_("ไฟล์รูปภาพเสียหาย"), code="bad_image") from exc
    extension = EXTENSIONS.get(mime) or (kind.extension if kind else "bin")
    return CheckedFile(data=data, mime=mime, extension=extension, name=_display_name(upload, extension))


def clean_image_bytes(data: bytes, *, max_pixels: int | None = None, max_side: int = MAX_SIDE) -> ContentFile:
    """Image bytes -> a re-encoded JPEG without metadata (EXIF, GPS) at most `max_side` pixels on a side."""
    kind = filetype.guess(data)
    if kind is None or kind.mime not in IMAGE_TYPES:
        raise ValidationError(_("ไฟล์นี้ไม่ใช่ภาพ (รับ JPEG, PNG, WebP, GIF)"), code="not_image")
    image = _open_image(data, max_pixels or max_pixels_default())
    try:
        width, height = image.size
        scale = min(1.0, max_side / max(width, height))
        if image.format == "JPEG" and scale < 1.0:
            # Decode at 1/2, 1/4 or 1/8 scale straight from the DCT data: a fraction of the time and memory.
            image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
        image = ImageOps.exif_transpose(image)
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((max_side, max_side))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, optimize=True)  # no exif= argument: no metadata is written
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("เปิดไฟล์ภาพไม่ได้"), code="bad_image") from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def check_image(upload, *, max_pixels: int | None = None, max_bytes: int | None = None) -> ContentFile:
    """A photo: checked by content and declared dimensions, then re-encoded as JPEG (EXIF stripped)."""
    return clean_image_bytes(read_limited(upload, max_bytes), max_pixels=max_pixels)


def check_photo(upload, *, max_pixels: int | None = None, max_bytes: int | None = None) -> CheckedFile:
    """check_image as a CheckedFile (the re-encoded JPEG, EXIF stripped, and the sender's cleaned name)."""
    content = check_image(upload, max_pixels=max_pixels, max_bytes=max_bytes)
    return CheckedFile(data=content.read(), mime="image/jpeg", extension="jpg", name=_display_name(upload, "jpg"))


def bound_batch(uploads, *, images: bool, max_total_bytes: int | None = None,
                max_total_pixels: int | None = None) -> None:
    """The limits of one request's files together, before any file is checked or decoded on its own: total bytes
    (from the sizes sent) and, for photos, the pixels their headers declare. Raises ValidationError."""
    uploads = [u for u in (uploads or []) if u]
    total_limit = max_total_bytes or getattr(settings, "UPLOAD_MAX_TOTAL_BYTES", None)
    if total_limit and sum(getattr(u, "size", 0) or 0 for u in uploads) > total_limit:
        raise _total_error(total_limit)
    pixels_limit = max_total_pixels or getattr(settings, "UPLOAD_MAX_TOTAL_PIXELS", None)
    if not (images and pixels_limit):
        return
    declared = 0
    for upload in uploads:
        try:
            width, height = _open_image(read_limited(upload), max_pixels_default()).size
        except ValidationError:
            continue  # that file's own check names the problem
        declared += width * height
    if declared > pixels_limit:
        raise ValidationError(_("ภาพทั้งหมดรวมกันมีขนาดพิกเซลใหญ่เกินกำหนด (ไม่เกิน %(mp)s ล้านพิกเซล)")
                              % {"mp": pixels_limit // 1_000_000}, code="too_many_pixels")


def _count_error(max_count):
    return ValidationError(_("แนบไฟล์ได้ไม่เกิน %(n)s ไฟล์") % {"n": max_count}, code="too_many")


def _total_error(max_total_bytes):
    return ValidationError(_("ไฟล์แนบรวมกันใหญ่เกิน %(mb)s MB") % {"mb": _mb(max_total_bytes)}, code="too_large")


def check_images(uploads, *, max_count: int, max_total_bytes: int | None = None,
                 max_total_pixels: int | None = None, max_pixels: int | None = None) -> list[ContentFile]:
    """Several photos of one request, re-encoded. Besides the count and total bytes, the declared pixels of all
    photos together are bounded (checked for every file before the first one is decoded)."""
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > max_count:
        raise _count_error(max_count)
    total_limit = max_total_bytes or getattr(settings, "UPLOAD_MAX_TOTAL_BYTES", None)
    if total_limit and sum(getattr(u, "size", 0) or 0 for u in uploads) > total_limit:
        raise _total_error(total_limit)
    datas = [read_limited(u) for u in uploads]
    if total_limit and sum(len(d) for d in datas) > total_limit:
        raise _total_error(total_limit)
    pixel_limit = max_pixels or max_pixels_default()
    total_pixels_limit = max_total_pixels or getattr(settings, "UPLOAD_MAX_TOTAL_PIXELS", None)
    declared = 0
    for data in datas:
        kind = filetype.guess(data)
        if kind is None or kind.mime not in IMAGE_TYPES:
            raise ValidationError(_("ไฟล์นี้ไม่ใช่ภาพ (รับ JPEG, PNG, WebP, GIF)"), code="not_image")
        width, height = _open_image(data, pixel_limit).size
        declared += width * height
    if total_pixels_limit and declared > total_pixels_limit:
        raise ValidationError(_("ภาพทั้งหมดรวมกันมีขนาดพิกเซลใหญ่เกินกำหนด (ไม่เกิน %(mp)s ล้านพิกเซล)")
                              % {"mp": total_pixels_limit // 1_000_000}, code="too_many_pixels")
    return [clean_image_bytes(data, max_pixels=pixel_limit) for data in datas]

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from portal.inputs import uploads


def _image_bytes(fmt="JPEG", size=(64, 48), mode="RGB", exif=None):
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new(mode, size, "white").save(out, fmt, **kwargs)
    return out.getvalue()


def _upload(data, name="a.jpg"):
    return SimpleUploadedFile(name, data)


def test_check_file_detects_type_by_content_not_name():
    checked = uploads.check_file(_upload(b"%PDF-1.4\n%x\n", "รายงาน ปี 67.jpg"), allowed=uploads.DOCUMENT_TYPES)
    assert checked.mime == "application/pdf" and checked.extension == "pdf"
    assert checked.name.endswith(".pdf") and "/" not in checked.name
    with pytest.raises(ValidationError) as exc:
        uploads.check_file(_upload(b"MZ\x90\x00" + b"\x00" * 60, "a.pdf"), allowed=uploads.DOCUMENT_TYPES)
    assert "ชนิดไฟล์ไม่รองรับ" in exc.value.messages[0]


def test_check_file_size_limit(settings):
    with pytest.raises(ValidationError) as exc:
        uploads.check_file(_upload(b"%PDF-1.4\n" + b"x" * 2000), allowed=uploads.DOCUMENT_TYPES, max_bytes=1000)
    assert exc.value.code == "too_large"
    with pytest.raises(ValidationError):
        uploads.check_file(_upload(b""), allowed=uploads.DOCUMENT_TYPES)


def test_check_image_strips_exif_and_reencodes():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    content = uploads.check_image(_upload(_image_bytes(exif=exif.tobytes())))
    image = Image.open(io.BytesIO(content.read()))
    assert image.format == "JPEG" and not image.getexif()


def test_big_jpeg_is_scaled_to_max_side():
    content = uploads.check_image(_upload(_image_bytes(size=(4032, 3024))))
    assert max(Image.open(io.BytesIO(content.read())).size) == uploads.MAX_SIDE


def _bomb_png(side):
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_declared_dimensions_are_refused_before_decoding(monkeypatch):
    data = _bomb_png(7745)  # a few KB declaring 60 megapixels
    assert len(data) < 50_000
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self.size) or real_load(self))
    with pytest.raises(ValidationError) as exc:
        uploads.check_image(_upload(data, "bomb.png"))
    assert exc.value.code == "too_many_pixels"
    assert decoded == []  # refused from the header alone; the time it takes is in BENCHMARKS.md


def test_png_has_a_lower_cap_than_jpeg(settings):
    settings.UPLOAD_MAX_PIXELS_FULL_DECODE = 1000
    with pytest.raises(ValidationError):
        uploads.check_image(_upload(_image_bytes("PNG", size=(40, 40)), "a.png"))
    uploads.check_image(_upload(_image_bytes("JPEG", size=(40, 40))))


def test_check_file_checks_image_dimensions_too(settings):
    settings.UPLOAD_MAX_PIXELS_FULL_DECODE = 1000
    with pytest.raises(ValidationError):
        uploads.check_file(_upload(_image_bytes("PNG", size=(40, 40)), "a.png"), allowed=uploads.DOCUMENT_TYPES)


def test_not_an_image():
    with pytest.raises(ValidationError) as exc:
        uploads.check_image(_upload(b"%PDF-1.4\n%x\n"))
    assert exc.value.code == "not_image"


def test_check_images_bounds_total_pixels_before_decoding_any(settings, monkeypatch):
    decoded = []
    real = uploads.clean_image_bytes
    monkeypatch.setattr(uploads, "clean_image_bytes", lambda data, **kw: decoded.append(1) or real(data, **kw))
    photos = [_upload(_image_bytes(size=(1000, 1000))) for _ in range(3)]
    with pytest.raises(ValidationError) as exc:
        uploads.check_images(photos, max_count=5, max_total_pixels=2_500_000)
    assert exc.value.code == "too_many_pixels" and decoded == []
    assert len(uploads.check_images(photos, max_count=5, max_total_pixels=3_000_000)) == 3


def _too_large_by_app(data):
    """Each place that takes a file, fed `data`: the message it refuses it with."""
    from eservice.forms import check_document
    from opendata.services import check_upload
    from taxpay.services import ImportRejected
    from taxpay.services.statements import _statement_lines

    found = {}
    for name, check, error in (
            ("portal", lambda: uploads.read_limited(_upload(data, "a.pdf")), ValidationError),
            ("eservice", lambda: check_document(_upload(data, "a.pdf")), ValidationError),
            ("opendata", lambda: check_upload(data=data, filename="a.csv"), ValidationError),
            ("taxpay", lambda: _statement_lines(data, "a.csv"), ImportRejected)):
        try:
            check()
        except error as exc:
            found[name] = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            found[name] = ""
    return found


def test_one_upload_limit_from_one_setting(settings):
    """Documents, open-data files and tax imports are all held to settings.UPLOAD_MAX_BYTES (no limit of their own)."""
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    refused = _too_large_by_app(b"a,b\n" + b"1,2\n" * (512 * 1024))  # 2 MB and 4 bytes
    assert all("2 MB" in message for message in refused.values()), refused
    settings.UPLOAD_MAX_BYTES = 3 * 1024 * 1024
    assert not any("MB" in message for message in _too_large_by_app(b"a,b\n" + b"1,2\n" * (512 * 1024)).values())

"""The one QR renderer (portal.outputs.qr): every form it draws reads back with zbar, the SVG included."""

import base64
import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from portal.outputs import qr
from tests.taxpay.qrcheck import read_png

TEXT = "https://example.org/khamyai/complaints/track/KY-2569-7F3K9Q/"


@pytest.mark.parametrize("options", [{}, {"box_size": 4}, {"box_size": 6, "mask_pattern": 2}])
def test_png_and_its_data_uri_read_back(options):
    assert read_png(qr.png_bytes(TEXT, **options)) == TEXT
    uri = qr.png_data_uri(TEXT, **options)
    assert read_png(base64.b64decode(uri.split(",", 1)[1])) == TEXT


def test_svg_draws_the_same_modules_and_reads_back():
    svg = base64.b64decode(qr.svg_data_uri(TEXT).split(",", 1)[1]).decode()
    root = ET.fromstring(svg)
    size = int(root.get("viewBox").split()[2])
    dark = {(int(x), int(y)) for x, y in (cell.split("h")[0].lstrip("M").split(",")
                                          for cell in root[1].get("d").split("z") if cell)}
    # drawn at 8 px a module, the SVG's squares are the QR zbar reads
    image = Image.new("1", (size * 8, size * 8), 1)
    image.putdata([0 if (x // 8, y // 8) in dark else 1 for y in range(size * 8) for x in range(size * 8)])
    out = io.BytesIO()
    image.save(out, format="PNG")
    assert read_png(out.getvalue()) == TEXT

"""The one QR renderer: complaint stickers, e-service receipts and queue tickets, Thai QR payment codes and the
organization's LINE link all come from here. Error correction M and a quiet zone of 4 modules (what the QR standard
asks for, so phones read a code on any background). The `qrcode` package lays out the modules; the image is drawn
one module per pixel and scaled up, much faster than drawing each module. Pure, so recent images stay in memory."""

import base64
import io
from functools import lru_cache

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M


def _matrix(text: str, *, border: int, mask_pattern: int | None) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=border, mask_pattern=mask_pattern)
    code.add_data(text, optimize=0)
    code.make(fit=True)
    return code.get_matrix()


@lru_cache(maxsize=512)
def png_bytes(text: str, *, box_size: int = 8, border: int = 4, mask_pattern: int | None = None) -> bytes:
    """The QR as PNG. A fixed `mask_pattern` (0-7) skips choosing the "best" of eight, most of the time a code
    takes; any mask scans."""
    matrix = _matrix(text, border=border, mask_pattern=mask_pattern)
    size = len(matrix)
    image = Image.new("L", (size, size))
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    image = image.convert("1").resize((size * box_size, size * box_size), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def png_data_uri(text: str, **options) -> str:
    """The PNG as a data URI, for a PDF or a page that must not fetch anything else."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(text, **options)).decode()


def svg_bytes(text: str, *, border: int = 4) -> bytes:
    """The QR as a scalable SVG image (one path), for a page that shows it at any size (the caller caches it:
    portal.web.views serves the organization's LINE QR from the shared cache)."""
    matrix = _matrix(text, border=border, mask_pattern=None)
    path = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    size = len(matrix)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
            f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>').encode()


def svg_data_uri(text: str, *, border: int = 4) -> str:
    """The same SVG as a data URI, for a document that must not fetch anything else."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg_bytes(text, border=border)).decode()

"""Printable QR stickers for a batch of assets: qrcode + Pillow for the codes, WeasyPrint (Pango, Thai font) for the PDF."""

import base64
import io
from functools import lru_cache
from pathlib import Path

import qrcode
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# The portal's own Sarabun, one family per subset: Pango falls back per character along font-family, so Latin and
# digits come from the first and Thai (with its marks placed right) from the second. Without these rules fontconfig
# picked Laksaman for "Sarabun", which set the sticker text cramped and hard to read.
FONT_FILES = {
    ("SarabunLatin", 400): "fonts/sarabun-latin-400-normal.woff",
    ("SarabunLatin", 700): "fonts/sarabun-latin-700-normal.woff",
    ("SarabunThai", 400): "fonts/sarabun-thai-400-normal.woff",
    ("SarabunThai", 700): "fonts/sarabun-thai-700-normal.woff",
}


@lru_cache(maxsize=1)
def font_css() -> str:
    rules = []
    for (family, weight), name in FONT_FILES.items():
        path = Path(finders.find(name) or Path(settings.BASE_DIR) / "static" / name)
        if path.exists():
            rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
                         f'src: url("{path.resolve().as_uri()}") format("woff"); }}')
    return "\n".join(rules)


def qr_png_data_uri(text: str) -> str:
    # border=4 modules: the quiet zone the QR standard asks for, so phones read stickers on any background.
    image = qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def qr_sheet_pdf(request, assets) -> bytes:
    from weasyprint import HTML

    stickers = []
    for asset in assets:
        url = request.build_absolute_uri(asset.get_scan_url())
        stickers.append({"asset": asset, "url": url, "qr": qr_png_data_uri(url)})
    html = render_to_string("complaints/qr_sheet.html", {"stickers": stickers, "font_css": font_css()})
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()

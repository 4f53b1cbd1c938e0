"""Printable QR stickers for a batch of assets: qrcode + Pillow for the codes, WeasyPrint (Pango, Thai font) for the PDF."""

import base64
import io

import qrcode

from portal.outputs import pdf


def qr_png_data_uri(text: str) -> str:
    # border=4 modules: the quiet zone the QR standard asks for, so phones read stickers on any background.
    image = qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def qr_sheet_pdf(request, assets) -> bytes:
    stickers = []
    for asset in assets:
        url = request.build_absolute_uri(asset.get_scan_url())
        stickers.append({"asset": asset, "url": url, "qr": qr_png_data_uri(url)})
    return pdf.render_pdf("complaints/qr_sheet.html", {"stickers": stickers}, base_url=request.build_absolute_uri("/"))

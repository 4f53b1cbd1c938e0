"""Printable QR stickers for a batch of assets: portal.outputs.qr for the codes, WeasyPrint (Pango, Thai font) for the PDF."""

from portal.outputs import pdf
from portal.outputs import qr as qr_image


def qr_sheet_pdf(request, assets) -> bytes:
    stickers = []
    for asset in assets:
        url = request.build_absolute_uri(asset.get_scan_url())
        stickers.append({"asset": asset, "url": url, "qr": qr_image.png_data_uri(url)})
    return pdf.render_pdf("complaints/qr_sheet.html", {"stickers": stickers}, base_url=request.build_absolute_uri("/"))

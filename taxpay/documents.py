"""PDFs: the assessment notice with its Thai QR, and the receipt with a verification QR."""

import base64
from functools import partial

from django.http import HttpResponse
from django.urls import reverse

from portal.outputs.pdf import render_pdf

from . import qr, selectors


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def bill_context(bill, state) -> dict:
    payload = selectors.qr_payload(state)
    settings_row = selectors.tax_settings(bill.organization)
    return {"bill": bill, "state": state, "organization": bill.organization, "owner": bill.owner,
            # Callables: a template calls them only when it renders the (cached, bills never change) computation.
            "sections": partial(selectors.computation_sections, bill),
            "properties": partial(lambda: bill.computation.get("properties", [])),
            "payload": payload, "qr_src": data_uri(qr.png_bytes(payload, box_size=6)) if payload else "",
            "biller_id": settings_row.biller_id, "payee": settings_row.payee_name or bill.organization.name_th}


def notice_pdf(bill, state) -> bytes:
    return render_pdf("taxpay/notice_pdf.html", bill_context(bill, state))


def receipt_pdf(request, payment) -> bytes:
    verify_url = request.build_absolute_uri(
        reverse("taxpay:receipt-verify", args=[payment.organization.slug, payment.verify_code]))
    return render_pdf("taxpay/receipt_pdf.html", {
        "payment": payment, "bill": payment.bill, "organization": payment.organization, "owner": payment.bill.owner,
        "verify_url": verify_url, "qr_src": data_uri(qr.png_bytes(verify_url, box_size=4))})


def receipt_response(request, payment) -> HttpResponse:
    response = HttpResponse(receipt_pdf(request, payment), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{payment.receipt_number}.pdf"'
    return response

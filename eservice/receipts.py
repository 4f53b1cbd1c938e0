"""The PDF receipt in Thai (answers, documents received, a QR code to the tracking page) and ticket QR codes."""

from django.urls import reverse

from portal import thai
from portal.outputs import qr as qr_image
from portal.outputs.pdf import render_pdf

from .requests import selectors


def qr_data_uri(text: str) -> str:
    # A fixed mask pattern: choosing the "best" of eight costs most of the QR's time and any mask scans.
    return qr_image.png_data_uri(text, box_size=6, mask_pattern=2)


def private_tracking_url(request, request_obj) -> str:
    path = reverse("eservice:track", args=[request_obj.organization.slug, request_obj.tracking_code])
    return request.build_absolute_uri(f"{path}?k={request_obj.access_key}")


def receipt_pdf(request, request_obj) -> bytes:
    url = private_tracking_url(request, request_obj)
    documents = getattr(request_obj, "all_documents", None)
    if documents is None:
        documents = list(request_obj.documents.order_by("uploaded_at", "pk"))
    return render_pdf("eservice/receipt.html", {
        "req": request_obj, "organization": request_obj.organization, "service_type": request_obj.service_type,
        "answers": selectors.answer_rows(request_obj), "documents": documents,
        "required_documents": request_obj.form_version.definition.get("documents", []),
        "created_be": thai.format_be_date(request_obj.created_at, long=True),
        "deadline_be": thai.format_be_date(request_obj.deadline.date(), long=True) if request_obj.deadline else "",
        "qr": qr_data_uri(url), "url": url,
    })

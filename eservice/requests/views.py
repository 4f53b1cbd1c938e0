"""Citizen pages of the request domain: the catalogue, the request form, tracking, documents, results and rating.
Thin views over forms, services and selectors."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.access import otp
from portal.inputs.ratelimit import (
    count_accepted,
    hit_subject,
    limited,
    ratelimited_response,
    retry_message,
)
from portal.outputs.files import serve_private

from .. import receipts, workflow
from ..forms import DocumentUploadForm, RatingForm, RequestForm
from ..models import ServiceRequest
from ..pages import _apply_errors, _is_staff_of, _org
from . import selectors, services

ACCESS_SESSION_KEY = "eservice_access"


# --- catalogue and request form ------------------------------------------------------------------------------------

def catalogue(request, org_slug):
    organization = _org(org_slug)
    query = request.GET.get("q", "").strip()[:100]
    service_types = (selectors.search_service_types(organization, query) if query
                     else selectors.public_service_types(organization))
    return render(request, "eservice/catalogue.html", {
        "organization": organization, "service_types": service_types.prefetch_related("documents"), "query": query})


def manual(request, org_slug, service_code):
    organization = _org(org_slug)
    service_type = selectors.service_type_for_form(organization, service_code)
    if service_type is None:
        raise Http404
    return render(request, "eservice/manual.html", {
        "organization": organization, "service_type": service_type,
        "documents": service_type.documents.all()})


def _service_for_form(org_slug, service_code):
    organization = _org(org_slug)
    service_type = selectors.service_type_for_form(organization, service_code)
    if service_type is None or service_type.current_version is None:
        raise Http404
    return organization, service_type


def _form_context(request, organization, service_type, form):
    version = service_type.current_version
    return {"organization": organization, "service_type": service_type, "form": form,
            "at_counter": _is_staff_of(request.user, organization),
            "documents": version.definition.get("documents", [])}


def _service_form_limited(request, retry_after, org_slug, service_code):
    """429 with the form again: everything typed, the chosen files kept (portal.inputs.tempuploads), when to retry."""
    organization, service_type = _service_for_form(org_slug, service_code)
    form = RequestForm(request.POST, request.FILES, version=service_type.current_version, request=request)
    form.is_valid()
    form.add_error(None, retry_message(retry_after))
    return ratelimited_response(request, retry_after_seconds=retry_after, organization=organization,
                                template="eservice/form.html",
                                context=_form_context(request, organization, service_type, form))


@limited("20/h", group="eservice-submit", count="accepted", on_limited=_service_form_limited)
@require_http_methods(["GET", "POST"])
def service_form(request, org_slug, service_code):
    organization, service_type = _service_for_form(org_slug, service_code)
    if not service_type.online:
        return redirect("eservice:manual", org_slug, service_code)
    version = service_type.current_version
    at_counter = _is_staff_of(request.user, organization)
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, version=version, request=request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                request_obj = services.submit_request(
                    service_type=service_type, version=version, answers=form.cleaned_answers,
                    files=form.cleaned_files, applicant_name=data["applicant_name"], phone=data["phone"],
                    email=data["email"], notify_channel=data["notify_channel"], consent=data["consent"],
                    channel=ServiceRequest.Channel.COUNTER if at_counter else ServiceRequest.Channel.WEB,
                    actor=request.user if at_counter else None)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                count_accepted(request)
                form.release_uploads()
                _grant(request, request_obj)
                return redirect(reverse("eservice:track", args=[org_slug, request_obj.tracking_code]) + "?new=1")
        status = 400
    else:
        form = RequestForm(version=version)
        status = 200
    return render(request, "eservice/form.html", _form_context(request, organization, service_type, form),
                  status=status)


# --- tracking ---------------------------------------------------------------------------------------------------

def _grant(request, request_obj):
    granted = set(request.session.get(ACCESS_SESSION_KEY, []))
    granted.add(request_obj.tracking_code)
    request.session[ACCESS_SESSION_KEY] = sorted(granted)[-50:]


def _has_access(request, request_obj) -> bool:
    """The requester's own session (from filing), or the private link from the receipt / confirmation."""
    key = request.GET.get("k", "")
    if key and secrets.compare_digest(key, request_obj.access_key):
        _grant(request, request_obj)
        return True
    return (request_obj.tracking_code in request.session.get(ACCESS_SESSION_KEY, [])
            or _is_staff_of(request.user, request_obj.organization))


def _tracked(org_slug, code):
    organization = _org(org_slug)
    request_obj = selectors.request_for_tracking(organization, code)
    if request_obj is None:
        raise Http404
    return organization, request_obj


@limited("60/m", group="eservice-track", count="all", methods=("GET", "POST"))
def track_lookup(request, org_slug):
    _org(org_slug)
    code = selectors.clean_tracking_code(request.GET.get("code", ""))
    if not code:  # nothing typed: back to the form that asks for it, not a "not found" page
        return redirect(reverse("eservice:catalogue", args=[org_slug]) + "#track")
    return redirect("eservice:track", org_slug, code)


OTP_PURPOSE = "eservice-track"
ID_TRIES_PER_REQUEST = "10/d"  # last-four-digit guesses at one request, from anywhere


def _track_context(request, organization, request_obj, **extra):
    access = _has_access(request, request_obj)
    open_doc_requests = [d for d in request_obj.all_document_requests if d.fulfilled_at is None]
    upload_forms = []
    if access and request_obj.status == workflow.Status.WAITING_CITIZEN:
        for doc_request in open_doc_requests:
            form = extra.pop("upload_form", None) if extra.get("upload_for") == doc_request.pk else None
            upload_forms.append((doc_request, form or DocumentUploadForm(
                items=doc_request.items, prefix_key=doc_request.pk, request=request)))
    contacts = services.contacts(request_obj)
    return {
        "organization": organization, "req": request_obj, "access": access,
        "events": request_obj.public_events, "answers": selectors.answer_rows(request_obj) if access else [],
        "documents": request_obj.all_documents if access else [], "upload_forms": upload_forms,
        "can_rate": access and request_obj.status in workflow.RATEABLE_STATES and request_obj.rated_at is None,
        "rating_form": extra.pop("rating_form", None) or RatingForm(),
        "statuses": workflow.Status,
        # Without access: the ways to prove this is the requester's request, from this device.
        "contacts": [(channel, otp.mask_contact(value)) for channel, value in contacts.items()],
        "asks_id": bool(request_obj.citizen_id_last4_hash),
        "code_sent": not access and otp.pending(request, purpose=OTP_PURPOSE, subject=request_obj.tracking_code),
        # With access: what to keep, and where it can be sent.
        "private_url": receipts.private_tracking_url(request, request_obj) if access else "",
        "is_new": request.GET.get("new") == "1", **extra,
    }


def _track_page(request, organization, request_obj, *, status=200, **extra):
    return render(request, "eservice/track.html", _track_context(request, organization, request_obj, **extra),
                  status=status)


@limited("30/h", group="eservice-access", count="all")
@require_POST
def track_access(request, org_slug, code):
    """Open a request on this device: a one-time code to a contact the requester gave (ask, then type it), or the
    last four digits of the ID they filed with. Every attempt counts against the client's limit; ID digits also
    against the request's own, so they cannot be tried from many addresses."""
    organization, request_obj = _tracked(org_slug, code)
    if _has_access(request, request_obj):
        return redirect("eservice:track", org_slug, request_obj.tracking_code)
    action = request.POST.get("action", "")
    subject = request_obj.tracking_code
    if action == "send":
        recipient = services.contacts(request_obj).get(request.POST.get("via", ""))
        if recipient is None:
            return _track_page(request, organization, request_obj, status=400,
                               access_error=_("เลือกช่องทางที่จะรับรหัส"))
        sent = otp.send(request, purpose=OTP_PURPOSE, subject=subject, organization=organization,
                        channel=request.POST["via"], recipient=recipient, language=request_obj.language)
        if not sent.ok:
            response = _track_page(request, organization, request_obj, status=429, access_error=sent.message)
            response["Retry-After"] = str(sent.retry_after or 60)
            return response
        return redirect(reverse("eservice:track", args=[org_slug, subject]) + "#access")
    if action == "code":
        checked = otp.verify(request, purpose=OTP_PURPOSE, subject=subject, code=request.POST.get("code", ""))
        if not checked.ok:
            return _track_page(request, organization, request_obj, status=400, access_error=checked.message)
        via = "one-time code"
    elif action == "id":
        allowed, retry_after = hit_subject(group="eservice-id", subject=subject, rate=ID_TRIES_PER_REQUEST)
        if not allowed:
            return _track_page(request, organization, request_obj, status=429,
                               access_error=retry_message(retry_after))
        if not services.id_digits_match(request_obj, request.POST.get("digits", "")):
            return _track_page(request, organization, request_obj, status=400,
                               access_error=_("เลขสี่หลักท้ายไม่ตรงกับที่ยื่นไว้"))
        via = "id digits"
    else:
        return _track_page(request, organization, request_obj, status=400)
    _grant(request, request_obj)
    services.record_access(request_obj=request_obj, via=via)
    return redirect("eservice:track", org_slug, subject)


@limited("10/h", group="eservice-keep", count="all")
@require_POST
def send_details(request, org_slug, code):
    """The requester asks for the code and private link by SMS or e-mail, to a contact they gave."""
    organization, request_obj = _tracked(org_slug, code)
    if not _has_access(request, request_obj):
        raise PermissionDenied(_("เฉพาะผู้ยื่นคำร้องเท่านั้น"))
    allowed, retry_after = hit_subject(group="eservice-keep", subject=request_obj.tracking_code, rate="3/h")
    if not allowed:
        return _track_page(request, organization, request_obj, status=429, keep_error=retry_message(retry_after))
    try:
        services.send_tracking_details(request_obj=request_obj, channel=request.POST.get("via", ""))
    except ValidationError as exc:
        return _track_page(request, organization, request_obj, status=400, keep_error=" ".join(exc.messages))
    return redirect(reverse("eservice:track", args=[org_slug, request_obj.tracking_code]) + "?sent=1#keep")


@limited("60/m", group="eservice-track", count="all", methods=("GET",))
def track(request, org_slug, code):
    organization, request_obj = _tracked(org_slug, code)
    if request.GET.get("k") and _has_access(request, request_obj):
        # The private key leaves the address bar (and the browser history) at once.
        return redirect("eservice:track", org_slug, request_obj.tracking_code)
    if code != request_obj.tracking_code:  # typed in another case or without dashes: the address as printed
        return redirect(reverse("eservice:track", args=[org_slug, request_obj.tracking_code])
                        + (f"?{request.GET.urlencode()}" if request.GET else ""))
    return render(request, "eservice/track.html", _track_context(request, organization, request_obj))


def _asked(request, org_slug, code, doc_request_id):
    organization, request_obj = _tracked(org_slug, code)
    if not _has_access(request, request_obj):
        raise PermissionDenied(_("เฉพาะผู้ยื่นคำร้องเท่านั้น"))
    doc_request = next((d for d in request_obj.all_document_requests if d.pk == doc_request_id), None)
    if doc_request is None or doc_request.fulfilled_at is not None:
        raise Http404
    return organization, request_obj, doc_request


def _upload_limited(request, retry_after, org_slug, code, doc_request_id):
    """429 with the tracking page again: the documents that passed their checks are kept (portal.inputs.tempuploads)."""
    organization, request_obj, doc_request = _asked(request, org_slug, code, doc_request_id)
    form = DocumentUploadForm(request.POST, request.FILES, items=doc_request.items, prefix_key=doc_request.pk,
                              request=request)
    form.is_valid()
    form.add_error(None, retry_message(retry_after))
    context = _track_context(request, organization, request_obj, upload_form=form, upload_for=doc_request.pk)
    return ratelimited_response(request, retry_after_seconds=retry_after, organization=organization,
                                template="eservice/track.html", context=context)


@limited("30/h", group="eservice-upload", count="all", on_limited=_upload_limited)
@require_POST
def upload_documents(request, org_slug, code, doc_request_id):
    organization, request_obj, doc_request = _asked(request, org_slug, code, doc_request_id)
    form = DocumentUploadForm(request.POST, request.FILES, items=doc_request.items, prefix_key=doc_request.pk,
                              request=request)
    if form.is_valid():
        try:
            services.upload_documents(document_request=doc_request, checked=form.checked)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            form.release_uploads()
            return redirect("eservice:track", org_slug, request_obj.tracking_code)
    context = _track_context(request, organization, request_obj, upload_form=form, upload_for=doc_request.pk)
    return render(request, "eservice/track.html", context, status=400)


def result_download(request, org_slug, code):
    _organization, request_obj = _tracked(org_slug, code)
    if not _has_access(request, request_obj):
        raise PermissionDenied(_("เฉพาะผู้ยื่นคำร้องเท่านั้น"))
    if not request_obj.result_file:
        raise Http404
    return serve_private(request, request_obj.result_file, filename=request_obj.result_name or None)


def receipt(request, org_slug, code):
    organization, request_obj = _tracked(org_slug, code)
    if not _has_access(request, request_obj):
        raise PermissionDenied(_("เฉพาะผู้ยื่นคำร้องเท่านั้น"))
    pdf = receipts.receipt_pdf(request, request_obj)
    response = HttpResponse(pdf, content_type="application/pdf")
    # ?download=1 (the button after applying) saves the file rather than opening a viewer.
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="receipt-{request_obj.tracking_code}.pdf"'
    return response


@limited("30/h", group="eservice-rate", count="all")
@require_POST
def rate(request, org_slug, code):
    organization, request_obj = _tracked(org_slug, code)
    if not _has_access(request, request_obj):
        raise PermissionDenied(_("เฉพาะผู้ยื่นคำร้องเท่านั้น"))
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(request_obj=request_obj, rating=form.cleaned_data["rating"],
                          comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("eservice:track", org_slug, request_obj.tracking_code)
    return render(request, "eservice/track.html", _track_context(request, organization, request_obj,
                                                                  rating_form=form), status=400)

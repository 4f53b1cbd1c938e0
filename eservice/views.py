"""Citizen pages (catalogue, request form, tracking, queue booking) and the staff queue day view: thin views over
forms, services and selectors."""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import thai
from portal.access import otp
from portal.access.permissions import can
from portal.inputs.ratelimit import (
    allowance,
    client_ip,
    count_accepted,
    hit_subject,
    limited,
    ratelimited_response,
    retry_message,
)
from portal.models import Organization
from portal.outputs.files import serve_private

from . import receipts, selectors, services, workflow
from .forms import BookingForm, DocumentUploadForm, RatingForm, RequestForm
from .models import Booking, BookingStatus, Queue, ServiceRequest

ACCESS_SESSION_KEY = "eservice_access"


def _org(org_slug) -> Organization:
    return get_object_or_404(Organization, slug=org_slug, is_active=True)


def _is_staff_of(user, organization) -> bool:
    return user.is_authenticated and can(user, "change", ServiceRequest(organization=organization))


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


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
                    filed_by=request.user if at_counter else None)
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


# --- queue booking -------------------------------------------------------------------------------------------------

def _queue(organization, queue_code) -> Queue:
    return get_object_or_404(Queue.objects.prefetch_related("hours"), organization=organization, code=queue_code,
                             is_active=True)


def queue_home(request, org_slug):
    organization = _org(org_slug)
    return render(request, "eservice/queue_home.html", {
        "organization": organization, "queues": selectors.public_queues(organization)})


def queue_days(request, org_slug, queue_code):
    organization = _org(org_slug)
    queue = _queue(organization, queue_code)
    days = selectors.bookable_days(queue, timezone.localdate())
    return render(request, "eservice/queue_days.html", {"organization": organization, "queue": queue,
                                                        "days": days, "move": request.GET.get("move", "")})


def _parse_day(text) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise Http404 from exc


@limited("10/h", group="eservice-book", count="accepted")
@require_http_methods(["GET", "POST"])
def queue_slots(request, org_slug, queue_code, day):
    organization = _org(org_slug)
    queue = _queue(organization, queue_code)
    day = _parse_day(day)
    today = timezone.localdate()
    open_days = {d for d, is_open in selectors.bookable_days(queue, today) if is_open}
    context = {"organization": organization, "queue": queue, "day": day}
    if day not in open_days:
        context["closed_message"] = _("วันนี้ไม่เปิดให้จอง (วันหยุด วันปิดให้บริการ หรืออยู่นอกช่วงที่จองได้)")
        return render(request, "eservice/queue_slots.html", context, status=404 if day < today else 409)
    slots = services.ensure_slots(queue=queue, day=day)
    now = timezone.now()
    lead = now + dt.timedelta(minutes=queue.lead_time_minutes)
    form = BookingForm(request.POST or None)
    status, retry_after = 200, None
    if request.method == "POST":
        status = 400
        slot_id = request.POST.get("slot", "")
        if not slot_id.isdigit() or not any(s.pk == int(slot_id) for s in slots):
            form.add_error(None, _("กรุณาเลือกช่วงเวลา"))
        elif form.is_valid():
            try:
                booking = services.book(slot_id=int(slot_id), name=form.cleaned_data["name"],
                                        phone=form.cleaned_data["phone"],
                                        citizen_id=form.cleaned_data["citizen_id"], by=request.user,
                                        client=client_ip(request), hold=queue.confirm_by_sms)
            except services.SlotUnavailable as exc:
                form.add_error(None, exc.message)
                status = getattr(exc, "status", 409)
                retry_after = getattr(exc, "retry_after", None)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                count_accepted(request)
                if booking.status == BookingStatus.HELD:
                    return _send_hold_code(request, organization, booking)
                return redirect("eservice:ticket", org_slug, booking.token)
        slots = list(selectors.slots_for(queue, day))
    context.update({"slots": [(s, s.start > lead and not s.is_closed and s.remaining > 0) for s in slots],
                    "form": form, "selected": request.POST.get("slot", "")})
    response = render(request, "eservice/queue_slots.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _booking(organization, token) -> Booking:
    booking = (Booking.objects.select_related("queue", "slot").filter(token=token, queue__organization=organization)
               .first())
    if booking is None:
        raise Http404
    return booking


HOLD_PURPOSE = "eservice-hold"


def _send_hold_code(request, organization, booking):
    """A queue that confirms by SMS: the place is held, a code goes to the phone; without a code (the phone's or the
    address's allowance used up) the place goes back at once."""
    sent = otp.send(request, purpose=HOLD_PURPOSE, subject=booking.token, organization=organization,
                    channel="sms", recipient=booking.phone, language=booking.language)
    if not sent.ok:
        services.release_hold(booking=booking)
        return ratelimited_response(request, retry_after_seconds=sent.retry_after, organization=organization)
    return redirect("eservice:ticket", organization.slug, booking.token)


def ticket(request, org_slug, token, *, error="", status=200):
    organization = _org(org_slug)
    booking = _booking(organization, token)
    checkin_url = request.build_absolute_uri(reverse("eservice:queue-checkin", args=[org_slug, booking.token]))
    return render(request, "eservice/ticket.html", {
        "organization": organization, "booking": booking, "qr": receipts.qr_data_uri(checkin_url),
        "error": error,
        "held_until": services.hold_expires(booking) if booking.status == BookingStatus.HELD else None,
        "phone_masked": otp.mask_contact(booking.phone)}, status=status)


@limited("30/h", group="eservice-hold", count="all")
@require_POST
def confirm_booking(request, org_slug, token):
    """The code sent to the phone, typed in time: the held place becomes a booking."""
    organization = _org(org_slug)
    booking = _booking(organization, token)
    if booking.status != BookingStatus.HELD:
        return redirect("eservice:ticket", org_slug, booking.token)
    checked = otp.verify(request, purpose=HOLD_PURPOSE, subject=booking.token, code=request.POST.get("code", ""))
    if not checked.ok:
        return ticket(request, org_slug, token, error=checked.message, status=400)
    try:
        services.confirm_hold(booking=booking)
    except services.SlotUnavailable as exc:
        return ticket(request, org_slug, token, error=exc.message, status=409)
    return redirect("eservice:ticket", org_slug, booking.token)


@require_http_methods(["GET", "POST"])
def cancel(request, org_slug, token):
    """GET shows a confirmation page (a link scanner following the link cancels nothing); POST cancels."""
    organization = _org(org_slug)
    booking = _booking(organization, token)
    error, status = "", 200
    if request.method == "POST":
        try:
            services.cancel_booking(token=booking.token)
        except services.SlotUnavailable as exc:
            error, status = exc.message, 409
        else:
            return redirect("eservice:ticket", org_slug, booking.token)
    elif not booking.is_active or booking.slot.start <= timezone.now():
        error, status = _("การจองนี้ยกเลิกไม่ได้แล้ว (ยกเลิกไปแล้ว ใช้ไปแล้ว หรือเลยเวลานัด)"), 409
    return render(request, "eservice/cancel.html", {"organization": organization, "booking": booking,
                                                    "error": error}, status=status)


def _move_limited(request, retry_after, org_slug, token):
    return ratelimited_response(request, retry_after_seconds=retry_after, organization=_org(org_slug))


@limited(settings.QUEUE_MOVE_RATE, group="eservice-move", count="accepted", on_limited=_move_limited)
@require_http_methods(["GET", "POST"])
def move(request, org_slug, token):
    """Choose a new slot of the ticket's own queue (GET lists them), confirm with POST: the booking moves in place
    (same link), or stays as it was if the new slot cannot take it. Limited per client address and per ticket."""
    organization = _org(org_slug)
    booking = _booking(organization, token)
    queue = Queue.objects.prefetch_related("hours").get(pk=booking.queue_id)
    day_text = request.GET.get("day") or request.POST.get("day") or ""
    day = None
    if day_text:
        day = _parse_day(day_text)
    error, status = "", 200
    if request.method == "POST":
        per_ticket = allowance(group="eservice-move-ticket", rate=settings.QUEUE_MOVE_TICKET_RATE,
                               subject=booking.token, organization=org_slug)
        slot_id = thai.to_arabic_digits(request.POST.get("slot", "")).strip()
        if per_ticket is not None and per_ticket.used() >= per_ticket.limit:
            return ratelimited_response(request, retry_after_seconds=per_ticket.retry_after, organization=organization)
        if not slot_id.isdigit():
            error, status = _("กรุณาเลือกช่วงเวลา"), 400
        else:
            try:
                booking = services.move_booking(token=booking.token, slot_id=int(slot_id))
            except services.SlotUnavailable as exc:
                error, status = exc.message, 409
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 400
            else:
                count_accepted(request)
                if per_ticket is not None:
                    per_ticket.hit()
                return redirect("eservice:ticket", org_slug, booking.token)
    days = selectors.bookable_days(queue, timezone.localdate())
    slots = []
    if day is not None and day in {d for d, is_open in days if is_open}:
        lead = timezone.now() + dt.timedelta(minutes=queue.lead_time_minutes)
        slots = [(s, s.start > lead and s.remaining > 0 and not s.is_closed)
                 for s in services.ensure_slots(queue=queue, day=day)]
    return render(request, "eservice/move.html", {
        "organization": organization, "booking": booking, "days": days, "day": day, "slots": slots,
        "error": error}, status=status)


def queue_display(request, org_slug):
    """The office TV. ?part=screen is what its script fetches every few seconds: the numbers only."""
    organization = _org(org_slug)
    template = "eservice/_display_screen.html" if request.GET.get("part") == "screen" else "eservice/display.html"
    response = render(request, template, {
        "organization": organization, "screen": selectors.now_serving(organization, timezone.localdate()),
        "now": timezone.localtime()})
    response["Cache-Control"] = "no-store"
    return response


# --- staff queue day view -----------------------------------------------------------------------------------------

def _staff_queue(request, organization):
    if not request.user.is_authenticated:
        return None
    queues = [q for q in Queue.objects.filter(organization=organization).order_by("name_th")
              if can(request.user, "change", q)]
    if not queues:
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ขององค์กรนี้"))
    code = request.GET.get("queue") or request.POST.get("queue") or queues[0].code
    queue = next((q for q in queues if q.code == code), queues[0])
    return queue, queues


@require_http_methods(["GET", "POST"])
def queue_staff(request, org_slug):
    organization = _org(org_slug)
    found = _staff_queue(request, organization)
    if found is None:
        return redirect_to_login(request.get_full_path())
    queue, queues = found
    today = timezone.localdate()
    confirm = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "call":
                called = services.call_next(queue=queue, counter=int(request.POST.get("counter") or 1),
                                            actor=request.user)
                if called:
                    messages.success(request, _("เรียกคิว %(t)s ที่ช่อง %(c)s") % {"t": called.ticket,
                                                                                "c": called.counter})
                else:
                    messages.warning(request, _("ไม่มีคิวที่เช็กอินแล้วรออยู่"))
            else:
                booking = get_object_or_404(Booking, pk=request.POST.get("booking") or 0, queue=queue)
                if action == "no_show" and request.POST.get("confirmed") != "1":
                    confirm = booking  # a no-show cannot be undone: ask first (a page, so it works without script)
                else:
                    if action == "checkin":
                        services.check_in(booking=booking, actor=request.user)
                    elif action in ("served", "no_show"):
                        services.finish(booking=booking, served=action == "served", actor=request.user)
                    messages.success(request, _("บันทึกแล้ว"))
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        if confirm is None:
            # Messages travel in the session (django.contrib.messages), never in the URL where anyone could write one.
            return redirect(reverse("eservice:queue-staff", args=[org_slug]) + f"?queue={queue.code}")
    search = request.GET.get("q", "")
    return render(request, "eservice/queue_staff.html", {
        "organization": organization, "queue": queue, "queues": queues, "today": today,
        "bookings": selectors.day_bookings(queue, today, search), "search": search,
        "counters": range(1, queue.counters + 1), "confirm": confirm, "statuses": BookingStatus})


@require_http_methods(["GET", "POST"])
def queue_checkin(request, org_slug, token):
    """The ticket's QR: staff scan it, see the booking, confirm check-in (POST)."""
    organization = _org(org_slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = _booking(organization, token)
    if not can(request.user, "change", booking):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ขององค์กรนี้"))
    error = ""
    if request.method == "POST":
        try:
            services.check_in(booking=booking, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(reverse("eservice:queue-staff", args=[org_slug]) + f"?queue={booking.queue.code}")
    return render(request, "eservice/checkin.html", {"organization": organization, "booking": booking,
                                                     "error": error}, status=400 if error else 200)


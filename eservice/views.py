"""Citizen pages (catalogue, request form, tracking, queue booking) and the staff queue day view: thin views over
forms, services and selectors."""

import datetime as dt
import secrets

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import thai
from portal.access.permissions import can
from portal.inputs.ratelimit import count_accepted, limited, ratelimited_response, retry_message
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
                return redirect("eservice:track", org_slug, request_obj.tracking_code)
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


def _track_context(request, organization, request_obj, **extra):
    access = _has_access(request, request_obj)
    open_doc_requests = [d for d in request_obj.all_document_requests if d.fulfilled_at is None]
    upload_forms = []
    if access and request_obj.status == workflow.Status.WAITING_CITIZEN:
        for doc_request in open_doc_requests:
            form = extra.pop("upload_form", None) if extra.get("upload_for") == doc_request.pk else None
            upload_forms.append((doc_request, form or DocumentUploadForm(
                items=doc_request.items, prefix_key=doc_request.pk, request=request)))
    return {
        "organization": organization, "req": request_obj, "access": access,
        "events": request_obj.public_events, "answers": selectors.answer_rows(request_obj) if access else [],
        "documents": request_obj.all_documents if access else [], "upload_forms": upload_forms,
        "can_rate": access and request_obj.status in workflow.RATEABLE_STATES and request_obj.rated_at is None,
        "rating_form": extra.pop("rating_form", None) or RatingForm(),
        "statuses": workflow.Status, **extra,
    }


@limited("60/m", group="eservice-track", count="all", methods=("GET",))
def track(request, org_slug, code):
    organization, request_obj = _tracked(org_slug, code)
    if request.GET.get("k") and _has_access(request, request_obj):
        # The private key leaves the address bar (and the browser history) at once.
        return redirect("eservice:track", org_slug, request_obj.tracking_code)
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
    response["Content-Disposition"] = f'inline; filename="receipt-{request_obj.tracking_code}.pdf"'
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
    status = 200
    if request.method == "POST":
        status = 400
        slot_id = request.POST.get("slot", "")
        if not slot_id.isdigit() or not any(s.pk == int(slot_id) for s in slots):
            form.add_error(None, _("กรุณาเลือกช่วงเวลา"))
        elif form.is_valid():
            try:
                booking = services.book(slot_id=int(slot_id), name=form.cleaned_data["name"],
                                        phone=form.cleaned_data["phone"],
                                        citizen_id=form.cleaned_data["citizen_id"], by=request.user)
            except services.SlotUnavailable as exc:
                form.add_error(None, exc.message)
                status = 409
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                count_accepted(request)
                return redirect("eservice:ticket", org_slug, booking.token)
        slots = list(selectors.slots_for(queue, day))
    context.update({"slots": [(s, s.start > lead and not s.is_closed and s.remaining > 0) for s in slots],
                    "form": form, "selected": request.POST.get("slot", "")})
    return render(request, "eservice/queue_slots.html", context, status=status)


def _booking(organization, token) -> Booking:
    booking = (Booking.objects.select_related("queue", "slot").filter(token=token, queue__organization=organization)
               .first())
    if booking is None:
        raise Http404
    return booking


def ticket(request, org_slug, token):
    organization = _org(org_slug)
    booking = _booking(organization, token)
    checkin_url = request.build_absolute_uri(reverse("eservice:queue-checkin", args=[org_slug, booking.token]))
    return render(request, "eservice/ticket.html", {
        "organization": organization, "booking": booking, "qr": receipts.qr_data_uri(checkin_url),
        "start_be": thai.format_be_date(booking.date, long=True)})


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


@require_http_methods(["GET", "POST"])
def move(request, org_slug, token):
    """Choose a new slot (GET lists them), confirm with POST; the old booking stays if the new one fails."""
    organization = _org(org_slug)
    booking = _booking(organization, token)
    queue = Queue.objects.prefetch_related("hours").get(pk=booking.queue_id)
    day_text = request.GET.get("day") or request.POST.get("day") or ""
    day = None
    if day_text:
        day = _parse_day(day_text)
    error, status = "", 200
    if request.method == "POST":
        slot_id = request.POST.get("slot", "")
        if not slot_id.isdigit():
            error, status = _("กรุณาเลือกช่วงเวลา"), 400
        else:
            try:
                new = services.move_booking(token=booking.token, slot_id=int(slot_id))
            except services.SlotUnavailable as exc:
                error, status = exc.message, 409
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 400
            else:
                return redirect("eservice:ticket", org_slug, new.token)
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
    organization = _org(org_slug)
    return render(request, "eservice/display.html", {
        "organization": organization, "screen": selectors.now_serving(organization, timezone.localdate()),
        "now": timezone.localtime()})


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
    message = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "call":
                called = services.call_next(queue=queue, counter=int(request.POST.get("counter") or 1),
                                            actor=request.user)
                message = (_("เรียกคิว %(t)s ที่ช่อง %(c)s") % {"t": called.ticket, "c": called.counter} if called
                           else _("ไม่มีคิวที่เช็กอินแล้วรออยู่"))
            else:
                booking = get_object_or_404(Booking, pk=request.POST.get("booking") or 0, queue=queue)
                if action == "checkin":
                    services.check_in(booking=booking, actor=request.user)
                elif action in ("served", "no_show"):
                    services.finish(booking=booking, served=action == "served", actor=request.user)
                message = _("บันทึกแล้ว")
        except (ValidationError, ValueError) as exc:
            message = " ".join(getattr(exc, "messages", [str(exc)]))
        return redirect(reverse("eservice:queue-staff", args=[org_slug]) + f"?queue={queue.code}&msg={message}")
    search = request.GET.get("q", "")
    return render(request, "eservice/queue_staff.html", {
        "organization": organization, "queue": queue, "queues": queues, "today": today,
        "bookings": selectors.day_bookings(queue, today, search), "search": search,
        "counters": range(1, queue.counters + 1), "message": request.GET.get("msg", "")[:200],
        "statuses": BookingStatus})


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


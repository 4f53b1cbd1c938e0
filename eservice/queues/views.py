"""Queue booking pages: the citizen's days, slots, ticket, confirmation, cancel and move, the display screen,
and the staff's day view with check-in. Thin views over forms, services and selectors."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
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
    limited,
    ratelimited_response,
)

from .. import receipts
from ..forms import BookingForm
from ..models import Booking, BookingStatus, Queue
from ..pages import _apply_errors, _org
from . import counter, selectors, services

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
                                        citizen_id=form.cleaned_data["citizen_id"], actor=request.user,
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
                called = counter.call_next(queue=queue, counter=int(request.POST.get("counter") or 1),
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
                        counter.check_in(booking=booking, actor=request.user)
                    elif action in ("served", "no_show"):
                        counter.finish(booking=booking, served=action == "served", actor=request.user)
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
            counter.check_in(booking=booking, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(reverse("eservice:queue-staff", args=[org_slug]) + f"?queue={booking.queue.code}")
    return render(request, "eservice/checkin.html", {"organization": organization, "booking": booking,
                                                     "error": error}, status=400 if error else 200)

"""Writes of queue booking: the day's slots, booking (one statement on PostgreSQL, see places.py), places held for
an SMS code, the citizen's cancel and move, and the reminders (the counter staff's steps: counter.py)."""

import datetime as dt
import functools

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import thai
from portal.access.permissions import require
from portal.audit import trail as audit
from portal.inputs.ratelimit import allowance
from portal.notifications.services import citizen_language, notify

from ..models import (
    ACTIVE_BOOKING,
    Booking,
    BookingStatus,
    DayCounter,
    OpeningHours,
    Queue,
    Slot,
    ticket_label,
)
from . import selectors
from .places import next_number, take_place_orm, take_place_postgresql, week_of
from .standard import QUEUES

# --- queues ---------------------------------------------------------------------------------------------------

class SlotUnavailable(Exception):
    """The slot cannot take this booking (full, closed, past, beyond the window, booked twice): HTTP 409."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


def ensure_slots(*, queue: Queue, day: dt.date) -> list[Slot]:
    """Materialise the day's slots from the opening hours (idempotent); none on a shut day."""
    if not selectors.is_open_day(queue, day):
        return []
    tz = timezone.get_current_timezone()
    step = dt.timedelta(minutes=queue.slot_minutes)
    slots = []
    for hours in queue.hours.all():
        if hours.weekday != day.weekday():
            continue
        start = timezone.make_aware(dt.datetime.combine(day, hours.opens), tz)
        close = timezone.make_aware(dt.datetime.combine(day, hours.closes), tz)
        while start + step <= close:
            slots.append(Slot(queue=queue, date=day, start=start, end=start + step, capacity=queue.places_per_slot))
            start += step
    if slots:
        Slot.objects.bulk_create(slots, ignore_conflicts=True)
        DayCounter.objects.bulk_create([DayCounter(queue=queue, date=day)], ignore_conflicts=True)
    return list(Slot.objects.filter(queue=queue, date=day).order_by("start"))


def _check_bookable(slot: Slot, now, *, fresh: bool = True) -> None:
    """Closed slot or queue, shut day (weekday without hours, holiday, closure), past, too soon, beyond the window
    (the calendar is memoised). A memoised slot (`fresh=False`) is not asked whether it or its queue is closed or
    too soon: the booking statement checks those on the locked rows."""
    queue = slot.queue
    if slot.start <= now:
        raise SlotUnavailable(_("ช่วงเวลานี้ผ่านไปแล้ว"))
    days = selectors.bookable_days(queue, timezone.localdate(now))
    open_days = [d for d, is_open in days if is_open]
    closed = not queue.is_active or not queue.organization.is_active or slot.is_closed  # a deactivated organization too
    if (fresh and closed) or (slot.date in dict(days)
                                                               and slot.date not in open_days):
        raise SlotUnavailable(_("วันหรือช่วงเวลานี้ปิดให้บริการ"))
    if fresh and slot.start < now + dt.timedelta(minutes=queue.lead_time_minutes):
        raise SlotUnavailable(_("ต้องจองล่วงหน้าอย่างน้อย %(m)d นาที") % {"m": queue.lead_time_minutes})
    if not open_days or slot.date > open_days[-1]:
        raise SlotUnavailable(_("จองล่วงหน้าได้ไม่เกิน %(n)d วันทำการ") % {"n": queue.booking_window_days})
    if slot.date not in open_days:
        raise SlotUnavailable(_("วันหรือช่วงเวลานี้ปิดให้บริการ"))


class TooManyBookings(SlotUnavailable):
    """One client address used up its bookings of the day: HTTP 429 with Retry-After."""

    status = 429

    def __init__(self, message, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)


def check_booking_limits(*, queue: Queue, phone: str, day: dt.date, exclude: Booking | None = None) -> None:
    """What one phone number may hold in one queue: `max_per_phone_day` places on a day and `max_per_phone_week`
    in that week (Monday to Sunday). Active bookings count; cancelled ones give their place back. `book` checks the
    same in its own statement; this says which limit refused, and guards a move and any step that holds a place
    later (e.g. a code sent to the phone first)."""
    held = (Booking.objects.filter(queue=queue, phone=phone, status__in=ACTIVE_BOOKING, date__range=week_of(day))
            .order_by())
    if exclude is not None:
        held = held.exclude(pk=exclude.pk)
    counts = held.aggregate(day=Count("pk", filter=Q(date=day)), week=Count("pk"))
    if counts["day"] >= queue.max_per_phone_day:
        raise SlotUnavailable(_("เบอร์โทรศัพท์นี้จองคิวนี้ในวันเดียวกันครบ %(n)d ที่แล้ว") % {"n": queue.max_per_phone_day})
    if counts["week"] >= queue.max_per_phone_week:
        raise SlotUnavailable(_("เบอร์โทรศัพท์นี้จองคิวนี้ในสัปดาห์เดียวกันครบ %(n)d ที่แล้ว")
                              % {"n": queue.max_per_phone_week})


def _seconds_to_local_midnight(now) -> int:
    local = timezone.localtime(now)
    midnight = timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time()),
                                   local.tzinfo)
    return max(1, int((midnight - local).total_seconds()))


class _ClientDay:
    """Bookings from one client address in one queue on one day, the day of the portal's time zone (Asia/Bangkok:
    it turns at local midnight, not at midnight UTC), counted in the shared cache (Redis in production; without it
    each process counts alone). The place is counted before the booking, in one round trip (INCR), and given back
    if the booking is refused, so concurrent requests from one address cannot slip past the count together."""

    def __init__(self, queue: Queue, client: str, now):
        self.limit = queue.max_per_client_day
        self.retry_after = _seconds_to_local_midnight(now)
        # portal.inputs.ratelimit's counters, with the window named by the local date instead of a UTC period.
        self.bucket = allowance(group="eservice-book-client", rate=f"{self.limit}/d", subject=client,
                                organization=str(queue.pk))
        if self.bucket is not None:
            self.bucket.key = f"rl:eservice-book-client:{queue.pk}:{client}:{timezone.localdate(now).isoformat()}"

    def take(self) -> None:
        if self.bucket is None:
            return
        if self.bucket.hit() > self.limit:
            self.give_back()
            raise TooManyBookings(
                _("มีการจองคิวนี้จากเครือข่ายนี้ครบ %(n)d ครั้งในวันนี้แล้ว กรุณาลองใหม่วันพรุ่งนี้") % {"n": self.limit},
                retry_after=self.retry_after)

    def give_back(self) -> None:
        if self.bucket is None:
            return
        try:
            cache.decr(self.bucket.key)
        except Exception:  # expired or cache down: nothing to give back
            pass


def book(*, slot_id: int, name: str, phone: str, citizen_id: str = "", now=None, confirm: bool = True,
         language: str | None = None, channel: str = "web", actor=None, client: str | None = None,
         hold: bool = False) -> Booking:
    """Book one place. Raises SlotUnavailable (409), TooManyBookings (429) or ValidationError (400).

    Exactly-N and gap-free numbers rest on row locks taken in one transaction: the slot row's conditional UPDATE
    (booked < capacity, not closed, queue and organization active, lead time, the phone's day and week limits) is
    the lock that makes overbooking impossible, and the day counter's row lock hands out the next number (a
    rolled-back booking gives its number back). Bookings for one phone number are taken one at a time (an advisory
    lock on PostgreSQL, SQLite's single writer), so two requests cannot both pass its limits. Nothing is read under
    a serialisable snapshot, so nothing is retried. On PostgreSQL the whole booking (lock, limits, slot, counter,
    booking row, audit row) is one round trip, as cheap as a plain insert; the queries are counted in
    tests/eservice/test_booking_queries.py.

    hold=True (a queue with confirm_by_sms): the place is taken as HELD and nothing is sent; `confirm_hold` makes it
    a booking once the citizen typed the code, `release_expired_holds` gives it back otherwise (the beat task every
    minute, and here when a booking on such a queue is refused, so a full day frees up without the beat)."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("กรุณากรอกชื่อ")})
    slot = selectors.slot_for_booking(slot_id)
    if slot is None:
        raise ValidationError({"slot": _("ไม่พบช่วงเวลานี้")})
    _check_bookable(slot, now, fresh=False)
    queue = slot.queue
    if queue.confirm_by_sms and not hold and channel == "api":
        # The API sends no code: booking there would skip the confirmation the organization switched on.
        raise SlotUnavailable(_("คิวนี้ยืนยันการจองด้วยรหัสทาง SMS กรุณาจองที่หน้าเว็บของคิว"))
    per_client = _ClientDay(queue, client, now) if client else None
    if per_client is not None:
        per_client.take()
    booking = Booking(queue=queue, slot=slot, date=slot.date, name=name[:200], phone=phone,
                      citizen_id_hash=thai.personal_id_hash(citizen_id) if citizen_id else "",
                      citizen_id_masked=thai.mask_id(citizen_id) if citizen_id else "", created_at=now,
                      language=citizen_language(language))
    if hold:
        booking.status, confirm = BookingStatus.HELD, False
    # The booking's own audit row names who booked: a signed-in officer booking for someone, or the citizen by channel.
    booking.booked_by = actor if _is_staff(actor) else audit.citizen(channel)
    try:
        taken = _take(booking, now, confirm=confirm, client=client)
        if not taken and queue.confirm_by_sms and release_expired_holds(queue=queue, now=now):
            taken = _take(booking, now, confirm=confirm, client=client)  # expired holds gave places (or the phone's allowance) back
        if not taken:
            _explain_refusal(slot_id, phone, now)
    except BaseException:
        if per_client is not None:
            per_client.give_back()
        raise
    return booking


def _explain_refusal(slot_id: int, phone: str, now):
    """The slot's UPDATE matched nothing: say why from the rows as they are now (the memo may be behind)."""
    selectors.forget_booking_slot(slot_id)
    slot = selectors.fresh_slot(slot_id)
    if slot is None:
        raise ValidationError({"slot": _("ไม่พบช่วงเวลานี้")})
    _check_bookable(slot, now)
    check_booking_limits(queue=slot.queue, phone=phone, day=slot.date)
    raise SlotUnavailable(_("ช่วงเวลานี้เต็มแล้ว กรุณาเลือกช่วงอื่น"))


def _take(booking: Booking, now, *, confirm: bool, client: str | None) -> bool:
    try:
        if connection.vendor == "postgresql" and not confirm:
            return take_place_postgresql(booking, now, client)  # one round trip commits (or rolls back) alone
        with transaction.atomic():
            take = take_place_postgresql if connection.vendor == "postgresql" else take_place_orm
            taken = take(booking, now, client)
            if taken and confirm:
                queue = booking.queue
                notify(organization=queue.organization, event="eservice_booked", channel="sms",
                       recipient=booking.phone, context={"booking": booking, "queue": queue,
                                                         "start": booking.slot.start, "url": ticket_url(booking)},
                       language=booking.language, related=booking)
            return taken
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
        if constraint not in (None, "uniq_eservice_booking_phone"):
            raise  # any other constraint is a bug, not the citizen's doing
        # The partial unique index (slot, phone): this phone already holds a place in the slot.
        raise SlotUnavailable(_("เบอร์โทรศัพท์นี้จองช่วงเวลานี้ไว้แล้ว")) from exc


# --- confirmation by SMS code (Queue.confirm_by_sms) ------------------------------------------------------------

HOLD_MINUTES = 10  # how long a held place waits for its code


def hold_expires(booking: Booking):
    return booking.created_at + dt.timedelta(minutes=HOLD_MINUTES)


def release_expired_holds(*, now=None, queue=None, actor=None) -> int:
    """Places held for a code and not confirmed within HOLD_MINUTES go back to their slots. Run by the beat task
    every minute and, lazily, before each booking on a queue that confirms by SMS, so a full day frees up even
    without the beat. `now` is passed in by tests."""
    now = now or timezone.now()
    expired = Booking.objects.filter(status=BookingStatus.HELD, created_at__lte=now - dt.timedelta(minutes=HOLD_MINUTES))
    if queue is not None:
        expired = expired.filter(queue=queue)
    actor = actor or audit.system("eservice.release_holds")
    return sum(_release_hold(pk, now=now, actor=actor, expired_only=True)
               for pk in list(expired.values_list("pk", flat=True)))


def release_hold(*, booking: Booking, now=None) -> bool:
    """Give one held place back at once (its code could not be sent)."""
    return _release_hold(booking.pk, now=now or timezone.now(), actor=audit.citizen("web"), expired_only=False)


def _release_hold(pk, *, now, actor, expired_only: bool) -> bool:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().filter(pk=pk, status=BookingStatus.HELD).first()
        if booking is None or (expired_only and hold_expires(booking) > now):
            return False  # confirmed (or released) meanwhile
        booking.status, booking.finished_at = BookingStatus.CANCELLED, now
        booking.save(update_fields=["status", "finished_at"])
        _release(booking)
        audit.record(booking, actor=actor, event="eservice.booking.hold_released",
                     changes={"status": [BookingStatus.HELD, booking.status]}, data={"ticket": booking.ticket})
    selectors.forget_booking_slot(booking.slot_id)
    return True


def confirm_hold(*, booking: Booking, now=None) -> Booking:
    """The citizen typed the code in time: the held place becomes a booking and the usual "booked" SMS goes out."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("queue__organization", "slot").get(pk=booking.pk)
        if booking.status != BookingStatus.HELD:
            raise SlotUnavailable(_("การจองนี้ยืนยันแล้วหรือถูกยกเลิกแล้ว"))
        if hold_expires(booking) <= now:
            raise SlotUnavailable(_("เกินเวลายืนยัน ที่ที่กันไว้ถูกคืนแล้ว กรุณาจองใหม่"))
        booking.status = BookingStatus.BOOKED
        booking.save(update_fields=["status"])
        audit.record(booking, actor=audit.citizen("web"), event="eservice.booking.confirmed",
                     changes={"status": [BookingStatus.HELD, booking.status]}, data={"ticket": booking.ticket})
        notify(organization=booking.queue.organization, event="eservice_booked", channel="sms", recipient=booking.phone,
               context={"booking": booking, "queue": booking.queue, "start": booking.slot.start,
                        "url": ticket_url(booking)}, language=booking.language, related=booking)
    return booking


@functools.cache
def _cancel_pattern(language) -> str:
    return reverse("eservice:cancel", args=["-org-", "-token-"])


def cancel_path(booking: Booking) -> str:
    """reverse() of the cancel page, once: resolving it for every booking costs a tenth of a millisecond. Slugs and
    tokens are URL-safe as they are."""
    return (_cancel_pattern(translation.get_language()).replace("-org-", booking.queue.organization.slug, 1)
            .replace("-token-", booking.token, 1))


def ticket_url(booking: Booking) -> str:
    path = reverse("eservice:ticket", args=[booking.queue.organization.slug, booking.token])
    return getattr(settings, "PORTAL_BASE_URL", "").rstrip("/") + path


def _release(booking: Booking):
    Slot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _booking_for_citizen(token: str, now) -> Booking:
    booking = Booking.objects.select_for_update().filter(token=token).first()
    if booking is None:
        raise PermissionDenied(_("ลิงก์ไม่ถูกต้อง"))
    if booking.status != BookingStatus.BOOKED:
        raise SlotUnavailable(_("การจองนี้ยกเลิกหรือใช้ไปแล้ว"))
    if Slot.objects.filter(pk=booking.slot_id, start__lte=now).exists():
        raise SlotUnavailable(_("เลยเวลานัดแล้ว ยกเลิกหรือเลื่อนไม่ได้"))
    return booking


def cancel_booking(*, token: str, now=None) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        booking = _booking_for_citizen(token, now)
        booking.status, booking.finished_at = BookingStatus.CANCELLED, now
        booking.save(update_fields=["status", "finished_at"])
        _release(booking)
        audit.record(booking, actor=audit.citizen("web"), event="eservice.booking.cancelled",
                     changes={"status": [BookingStatus.BOOKED, booking.status]}, data={"ticket": booking.ticket})
    return booking


def move_booking(*, token: str, slot_id: int, now=None) -> Booking:
    """Move the booking in place: the same row, token and link (the citizen's saved link shows the new day and
    time) takes a place in a slot of its own queue and gives the old place back, in one transaction (if the new
    slot is full, nothing changes). One SMS says what changed; nothing else is sent."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _booking_for_citizen(token, now)
        slot = Slot.objects.select_related("queue__organization").filter(pk=slot_id).first()
        if slot is None or slot.queue_id != booking.queue_id:
            # Another queue's (or organization's) slot: a move stays within the ticket's own queue.
            raise ValidationError({"slot": _("เลื่อนได้เฉพาะช่วงเวลาของคิวเดิม กรุณาเลือกช่วงเวลาจากรายการ")})
        if slot.pk == booking.slot_id:
            raise SlotUnavailable(_("เป็นช่วงเวลาเดิม"))
        _check_bookable(slot, now)
        if slot.date != booking.date:
            check_booking_limits(queue=slot.queue, phone=booking.phone, day=slot.date, exclude=booking)
        if Booking.objects.filter(slot=slot, phone=booking.phone, status__in=ACTIVE_BOOKING).exists():
            raise SlotUnavailable(_("เบอร์โทรศัพท์นี้จองช่วงเวลานี้ไว้แล้ว"))
        if not (Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity"), is_closed=False)
                .update(booked=F("booked") + 1)):
            raise SlotUnavailable(_("ช่วงเวลานี้เต็มแล้ว กรุณาเลือกช่วงอื่น"))
        _release(booking)
        old_start, old_ticket = Slot.objects.values_list("start", flat=True).get(pk=booking.slot_id), booking.ticket
        if slot.date != booking.date:  # ticket numbers are per day: the new day hands out its next one
            booking.number = next_number(booking.queue_id, slot.date)
            booking.ticket = ticket_label(slot.queue.letter, booking.number)
        booking.slot, booking.date, booking.reminder_sent_at = slot, slot.date, None
        booking.save(update_fields=["slot", "date", "number", "ticket", "reminder_sent_at"])
        audit.record(booking, actor=audit.citizen("web"), event="eservice.booking.moved",
                     changes={"start": [old_start.isoformat(), slot.start.isoformat()],
                              "ticket": [old_ticket, booking.ticket]},
                     data={"ticket": booking.ticket})
        notify(organization=slot.queue.organization, event="eservice_moved", channel="sms", recipient=booking.phone,
               context={"booking": booking, "queue": slot.queue, "old_start": old_start, "start": slot.start,
                        "old_ticket": old_ticket, "url": ticket_url(booking)},
               language=booking.language, related=booking)
    selectors.forget_booking_slot(slot.pk)
    return booking


def _due_reminders(now):
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    return Booking.objects.filter(date=tomorrow, status=BookingStatus.BOOKED, reminder_sent_at__isnull=True)


def organizations_to_remind(*, now=None) -> list[int]:
    """The organizations with a booking for tomorrow not reminded yet (the index on queue, date and status): only
    they get a task, so an installation of thousands of organizations does work only where there is some."""
    return sorted(set(_due_reminders(now or timezone.now()).values_list("queue__organization_id", flat=True)))


def send_reminders(*, now=None, actor=None, organization_id: int | None = None) -> int:
    """Tomorrow's bookings (of one organization, or all) get a reminder through the outbox, once each: each booking
    in its own small transaction, skipped if reminded meanwhile, so a task run twice sends nothing twice (run by
    the beat task's per-organization fan-out, which names itself as `actor`)."""
    now = now or timezone.now()
    sent = 0
    due = _due_reminders(now)
    if organization_id is not None:
        due = due.filter(queue__organization_id=organization_id)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            booking = (Booking.objects.select_for_update().select_related("queue__organization", "slot")
                       .filter(pk=pk, reminder_sent_at__isnull=True, status=BookingStatus.BOOKED).first())
            if booking is None:
                continue
            notify(organization=booking.queue.organization, event="eservice_queue_reminder", channel="sms",
                   recipient=booking.phone, context={"booking": booking, "queue": booking.queue,
                                                     "start": booking.slot.start, "url": ticket_url(booking)},
                   language=booking.language, related=booking)
            booking.reminder_sent_at = now
            booking.save(update_fields=["reminder_sent_at"])
            audit.record(booking, actor=actor, event="eservice.booking.reminded")
            sent += 1
    return sent


def _is_staff(user) -> bool:
    return user is not None and user.is_authenticated


@transaction.atomic
def set_standard_queues(*, organization, codes, days, spans, actor) -> None:
    """The standard queues in `codes` open for booking (created when new, at the department that serves them) with
    `spans` (opens, closes) on each of `days` (Monday 0), the other standard queues closed; a queue's earlier hours
    are replaced (the set-up wizard's queues step)."""
    picked = set(codes)
    existing = {q.code: q for q in Queue.objects.filter(organization=organization)}
    departments = {d.code: d for d in organization.departments.all()}
    with audit.acting(actor):
        for code, name_th, name_en, dept_code, letter in QUEUES:
            queue = existing.get(code)
            if queue is None:
                if code not in picked:
                    continue
                queue = Queue(organization=organization, code=code, name_th=name_th, name_en=name_en, letter=letter,
                              slot_minutes=30, places_per_slot=4, counters=1,
                              location=(organization.address or "").split("\n")[0][:200],
                              department=departments.get(dept_code))
                require(actor, "add", queue)
                queue.full_clean()
                queue.save()
            else:
                require(actor, "change", queue)
                if queue.is_active != (code in picked):
                    queue.is_active = code in picked
                    queue.save(update_fields=["is_active"])
            if code not in picked:
                continue
            queue.hours.all().delete()
            for day in days:
                for opens, closes in spans:
                    hours = OpeningHours(queue=queue, weekday=day, opens=opens, closes=closes)
                    try:
                        hours.full_clean()
                    except ValidationError as exc:  # the form checked the times; this is the model's last word
                        raise ValidationError(exc.messages) from None
                    hours.save()

"""Reads of queue booking: the working-day calendar of a queue (memoised per process), slots and bookings."""

import datetime as dt

from django.db.models import Q

from portal.machinery import calendar

from ..models import (
    Booking,
    BookingStatus,
    Closure,
    Queue,
    Slot,
)

# --- working days -----------------------------------------------------------------------------------------------

def holidays(start: dt.date, end: dt.date) -> set[dt.date]:
    return calendar.holiday_dates(start, end)


def closed_dates(queue: Queue, start: dt.date, end: dt.date) -> set[dt.date]:
    rows = Closure.objects.filter(organization_id=queue.organization_id, date__gte=start, date__lte=end).filter(
        Q(queue__isnull=True) | Q(queue=queue)).values_list("date", flat=True)
    return set(rows) | holidays(start, end)


def _open_weekdays(queue: Queue) -> set[int]:
    return {h.weekday for h in queue.hours.all()}


def is_open_day(queue: Queue, day: dt.date) -> bool:
    return day.weekday() in _open_weekdays(queue) and day not in closed_dates(queue, day, day)


# The booking calendar of a queue changes a few times a month (hours, closures, holidays): each process keeps it for
# a short while and forgets it at once when one of those rows is saved or deleted here (signals below); another
# process sees the change within CALENDAR_SECONDS.
CALENDAR_SECONDS = 30
_calendar: dict = {}


def forget_calendars(**kwargs):
    _calendar.clear()
    _booking_slots.clear()


def bookable_days(queue: Queue, today: dt.date) -> list[tuple[dt.date, bool]]:
    """The next `booking_window_days` working days of the queue, with the shut days between them marked."""
    import time

    key = (queue.pk, today, queue.booking_window_days)
    hit = _calendar.get(key)
    if hit is not None and time.monotonic() - hit[0] < CALENDAR_SECONDS:
        return hit[1]
    days = _bookable_days(queue, today)
    if len(_calendar) > 1000:
        _calendar.clear()
    _calendar[key] = (time.monotonic(), days)
    return days


def _bookable_days(queue: Queue, today: dt.date) -> list[tuple[dt.date, bool]]:
    weekdays = _open_weekdays(queue)
    if not weekdays:
        return []
    span = queue.booking_window_days * 3 + 14
    shut = closed_dates(queue, today, today + dt.timedelta(days=span))
    days, open_count, day = [], 0, today
    while open_count < queue.booking_window_days and day <= today + dt.timedelta(days=span):
        if day.weekday() in weekdays:
            is_open = day not in shut
            days.append((day, is_open))
            open_count += is_open
        day += dt.timedelta(days=1)
    return days


# Booking reads its slot (with the queue, its organization and hours) from this per-process memo, forgotten with the
# calendars. Only what a stale copy cannot get wrong is trusted from it: the slot's queue, day and start, for the
# calendar checks; whether the slot or queue is closed, the lead time and the free places are checked again by
# the booking statement itself, on the rows it locks.
_booking_slots: dict = {}


def slot_for_booking(slot_id: int) -> Slot | None:
    import time

    hit = _booking_slots.get(slot_id)
    if hit is not None and time.monotonic() - hit[0] < CALENDAR_SECONDS:
        return hit[1]
    slot = (Slot.objects.select_related("queue__organization").prefetch_related("queue__hours")
            .filter(pk=slot_id).first())
    if slot is None:
        return None
    if len(_booking_slots) > 5000:
        _booking_slots.clear()
    _booking_slots[slot_id] = (time.monotonic(), slot)
    return slot


def forget_booking_slot(slot_id: int) -> None:
    _booking_slots.pop(slot_id, None)


def fresh_slot(slot_id: int) -> Slot | None:
    return Slot.objects.select_related("queue__organization").filter(pk=slot_id).first()


# --- queues -------------------------------------------------------------------------------------------------------

def public_queues(organization):
    return Queue.objects.filter(organization=organization, is_active=True).prefetch_related("hours").order_by(
        "name_th")


def slots_for(queue: Queue, day: dt.date):
    return Slot.objects.filter(queue=queue, date=day).order_by("start")


def day_bookings(queue: Queue, day: dt.date, search: str = ""):
    qs = Booking.objects.filter(queue=queue, date=day).select_related("slot").order_by("number")
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(ticket__icontains=search) | Q(phone__contains=search) | Q(name__icontains=search))
    return qs


def now_serving(organization, day: dt.date):
    """Per queue, the last ticket called at each counter today (for the display screen)."""
    calls = (Booking.objects.filter(queue__organization=organization, date=day, called_at__isnull=False,
                                    status__in=[BookingStatus.CALLED, BookingStatus.SERVED])
             .select_related("queue").order_by("queue__name_th", "counter", "-called_at"))
    screen: dict = {}
    for booking in calls:
        counters = screen.setdefault(booking.queue, {})
        counters.setdefault(booking.counter, booking)
    return [(queue, sorted(counters.items())) for queue, counters in screen.items()]


def _connect_calendar_signals():
    from django.db.models.signals import post_delete, post_save

    from portal.models import Holiday

    from ..models import OpeningHours

    for model in (Queue, OpeningHours, Closure, Holiday, Slot):
        post_save.connect(forget_calendars, sender=model, dispatch_uid=f"eservice-calendar-save-{model.__name__}")
        post_delete.connect(forget_calendars, sender=model, dispatch_uid=f"eservice-calendar-del-{model.__name__}")


_connect_calendar_signals()
